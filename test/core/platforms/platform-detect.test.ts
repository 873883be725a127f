import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectPlatform, platformRoutingRows, platformRoutingTable, scorePlatforms, type DetectionConfidence } from '../../../src/core/platforms/platform-detect.js';
import { platformsFileSchema } from '../../../src/core/platforms/platform.schema.js';

const { platforms } = platformsFileSchema.parse(JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../../config/platforms.json'), 'utf8')));
const byId = (id: string) => platforms.find((p) => p.id === id)!;

describe('detectPlatform', () => {
  const cases: { brief: string; target?: string; platform: string | undefined; confidence: DetectionConfidence }[] = [
    { brief: 'A shared todo list for small teams', target: 'Web', platform: 'web', confidence: 'high' },
    { brief: 'A habit tracker', target: 'an Android app', platform: 'android', confidence: 'high' },
    { brief: 'A Kotlin app with Jetpack Compose for the Play Store', platform: 'android', confidence: 'medium' },
    { brief: 'A SaaS dashboard in the browser for invoices.', platform: 'web', confidence: 'medium' },
    { brief: 'A command line tool that tidies Ubuntu logs', platform: 'linux', confidence: 'medium' },
    { brief: 'Menu bar app built with SwiftUI', platform: 'macos', confidence: 'medium' },
    { brief: 'An MSI installer for a WPF tool', platform: 'windows', confidence: 'medium' },
    { brief: 'An iPhone app shipped through TestFlight', platform: 'ios', confidence: 'medium' },
    { brief: 'A Swift app', platform: 'ios', confidence: 'low' },
    { brief: 'A recipe manager', platform: undefined, confidence: 'none' },
    { brief: 'Works on iPhone and Android', platform: undefined, confidence: 'none' },
    { brief: 'a website for my bakery', target: 'desktop', platform: 'web', confidence: 'low' },
  ];

  it.each(cases)('$brief / $target → $platform ($confidence)', ({ brief, target, platform, confidence }) => {
    const detection = detectPlatform(brief, target, platforms);
    expect(detection.platform?.id).toBe(platform);
    expect(detection.confidence).toBe(confidence);
    expect(detection.reasons.length).toBeGreaterThan(0);
  });

  it('lets the stated target win over the brief and says so', () => {
    const detection = detectPlatform('An iPhone app for the App Store via TestFlight', 'web', platforms);
    expect(detection.platform?.id).toBe('web');
    expect(detection.reasons).toEqual([
      'you named the target "web", which is Web',
      'the brief leans to iOS ("iphone", "app store", "testflight"); the stated target wins — say so if that is wrong',
    ]);
  });

  it('explains a fallback from an unclear target to the brief', () => {
    const detection = detectPlatform('a website for my bakery', 'desktop', platforms);
    expect(detection.reasons[0]).toBe('"desktop" does not name one platform (Web, Linux, Windows, macOS, Android, iOS); going by the brief');
    expect(detection.reasons[1]).toBe('the brief mentions "website", which points to Web');
  });

  it('matches whole words and phrases only', () => {
    expect(scorePlatforms('a website', platforms).map((s) => s.matched)).toEqual([['website']]);
    expect(scorePlatforms('webcam software', platforms)).toEqual([]);
    expect(scorePlatforms('a .NET tool', platforms)).toEqual([{ platformId: 'windows', score: 1, matched: ['.net'] }]);
    expect(scorePlatforms('sell it on the Play   Store', platforms)).toEqual([{ platformId: 'android', score: 2, matched: ['play store'] }]);
  });
});

describe('platformRoutingTable', () => {
  it('gives the toolchain, packaging and signing, distribution and notes rows', () => {
    expect(platformRoutingRows(byId('ios'))).toEqual([
      ['Toolchain', 'Swift + SwiftUI / Flutter / React Native'],
      ['Packaging & signing', 'IPA archive built by Xcode\nApple provisioning profiles and certificates; needs macOS and Xcode'],
      ['Distribution', 'App Store through TestFlight review'],
      ['Notes', 'Building and signing need a Mac with Xcode'],
    ]);
  });

  it('renders a box table for the transcript', () => {
    const table = platformRoutingTable(byId('web'));
    expect(table.split('\n')[0]).toBe('Platform: Web');
    expect(table).toContain('│ Toolchain ');
    expect(table).toContain('Next.js / React / Node.js');
    expect(table).toContain('Design contract activated');
  });
});

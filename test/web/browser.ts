import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';
/** Gitignored; written on every run so that a person can look at each page. */
export const SCREENSHOT_DIR = fileURLToPath(new URL('./screenshots/', import.meta.url));

/** Debian's Chromium, headless, with no network of its own (the flags CI needs as root). */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} is missing: apt-get install -y chromium (.ci/run installs it)`);
  }
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}

export interface IsolatedPage {
  context: BrowserContext;
  page: Page;
  /** Requests the page tried to send anywhere but the server under test (all refused) */
  foreignRequests: string[];
  /** Uncaught exceptions and console errors of the page */
  pageErrors: string[];
}

/**
 * A fresh browser context (its own sessionStorage) on a laptop-sized screen, where every request
 * that is not for the server under test is refused and recorded: the app must need no CDN.
 */
export async function openIsolatedPage(browser: Browser, serverUrl: string, timezoneId: string): Promise<IsolatedPage> {
  // Reduced motion: the charts draw without their entry animation, so a screenshot shows them whole.
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, timezoneId, locale: 'en-US', reducedMotion: 'reduce' });
  const origin = new URL(serverUrl).origin;
  const foreignRequests: string[] = [];
  const pageErrors: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${origin}/`) || url.startsWith('data:')) return route.continue();
    foreignRequests.push(url);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    // A refused credential is answered 401, which the browser logs as a failed resource: expected.
    if (message.type() === 'error' && !/status of 401/.test(message.text())) pageErrors.push(message.text());
  });
  return { context, page, foreignRequests, pageErrors };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  // The pointer off the page: no hover state or chart tooltip in the picture.
  await page.mouse.move(0, 0);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

export async function signIn(page: Page, serverUrl: string, credential: string, hash = '/overview'): Promise<void> {
  await page.goto(`${serverUrl}/app/#${hash}`);
  await page.getByLabel('API key or member token').fill(credential);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

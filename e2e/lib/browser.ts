import { existsSync } from 'node:fs';
import { Frame, Page, chromium } from 'playwright-core';
import { need } from './run';
import { WORDPRESS } from '../../constructs/app-model';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface SiteSetup {
  readonly baseUrl: string;
  readonly siteTitle: string;
  readonly adminUser: string;
  readonly adminPassword: string;
  readonly postTitle: string;
  readonly screenshot: string;
}

/**
 * In headless Chromium: runs the WordPress installer, logs in, publishes a
 * post in the block editor and screenshots it on the site. Returns the post id.
 */
export async function installLoginAndPublish(site: SiteSetup): Promise<number> {
  need(existsSync(CHROMIUM), `Chromium at ${CHROMIUM}`, 'Install Debian\'s chromium (apt-get install -y chromium) or set CHROMIUM_PATH.');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Offline machine: no background calls to Google's services.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(60_000);

    // The form's scripts copy #pass1 into the posted fields and rate it (zxcvbn, loaded
    // asynchronously): filling it before they ran posts mismatched passwords.
    await page.goto(`${site.baseUrl}${WORDPRESS.installPath}`, { waitUntil: 'networkidle' });
    await page.waitForFunction('typeof window.zxcvbn === "function"');
    await page.fill('#weblog_title', site.siteTitle);
    await page.fill('#user_login', site.adminUser);
    await page.fill('#pass1', site.adminPassword);
    await page.fill('#admin_email', 'admin@example.invalid');
    const weak = page.locator('input[name="pw_weak"]');
    if (await weak.isVisible()) await weak.check();
    await page.click('#submit');
    const outcome = await Promise.race([
      page.waitForSelector('text=Success!').then(() => ''),
      // Never settles when the install succeeds (caught: the browser closes under it).
      page.waitForSelector('p.message, #error-page').then(async (e) => (await e?.innerText()) || 'error', () => new Promise<string>(() => undefined)),
    ]);
    if (outcome) throw new Error(`the WordPress installer refused the form: ${outcome}`);

    await page.goto(`${site.baseUrl}/wp-login.php`);
    await page.fill('#user_login', site.adminUser);
    await page.fill('#user_pass', site.adminPassword);
    await Promise.all([page.waitForURL(/\/wp-admin\//), page.click('#wp-submit')]);

    await page.goto(`${site.baseUrl}/wp-admin/post-new.php`);
    await dismissWelcomeGuide(page);
    const canvas = await editorCanvas(page);
    const title = canvas.getByRole('textbox', { name: /add title/i });
    await title.click();
    await title.fill(site.postTitle);
    await page.getByRole('button', { name: 'Publish', exact: true }).first().click();
    // The pre-publish panel asks once more.
    await page.locator('.editor-post-publish-panel').getByRole('button', { name: 'Publish', exact: true }).click();
    await page.locator('.post-publish-panel__postpublish').waitFor();
    const postId = Number(new URL(page.url()).searchParams.get('post') ?? (await page.locator('#post_ID').inputValue().catch(() => '')));

    await page.goto(`${site.baseUrl}/?p=${postId}`);
    await page.getByText(site.postTitle).first().waitFor();
    await page.screenshot({ path: site.screenshot, fullPage: true });
    if (!Number.isInteger(postId) || postId <= 0) throw new Error(`could not read the new post's id from ${page.url()}`);
    return postId;
  } finally {
    await browser.close();
  }
}

async function dismissWelcomeGuide(page: Page): Promise<void> {
  const close = page.locator('.edit-post-welcome-guide, .editor-welcome-guide').getByRole('button', { name: /close/i });
  await close.click({ timeout: 10_000 }).catch(() => undefined);
}

/** Newer editors render the post in an iframe; older ones in the page itself. */
async function editorCanvas(page: Page): Promise<Page | Frame> {
  await page.waitForSelector('iframe[name="editor-canvas"], .editor-post-title__input, .wp-block-post-title');
  const frame = page.frame({ name: 'editor-canvas' });
  return frame ?? page;
}

import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { Browser, Frame, Page, chromium } from 'playwright-core';
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

/** How the browser runs. */
export interface BrowserOptions {
  /**
   * HOME of the browser: Chromium reads its certificate store from `$HOME/.pki/nssdb`
   * (an NSS database, e.g. one that trusts a development CA). @default - the caller's HOME
   */
  readonly home?: string;
  /** Called with every request the page makes (URL, and the URL of the page that made it). */
  readonly onRequest?: (url: string, pageUrl: string) => void;
  /** Called with every response the page gets (URL and status). */
  readonly onResponse?: (url: string, status: number) => void;
  /** Called with every console message of the page (Chromium reports mixed content there). */
  readonly onConsole?: (text: string, pageUrl: string) => void;
}

/**
 * In headless Chromium: runs the WordPress installer, logs in, publishes a
 * post in the block editor and screenshots it on the site. Returns the post id.
 */
export async function installLoginAndPublish(site: SiteSetup, options: BrowserOptions = {}): Promise<number> {
  return withPage(async (page) => {

    // The form's scripts copy #pass1 into the posted fields and rate it (zxcvbn, loaded
    // asynchronously): filling it before they ran posts mismatched passwords.
    // A script load Chromium aborted (ERR_NETWORK_CHANGED: containers come and go) leaves zxcvbn
    // missing: the page is loaded again then, up to 3 times.
    for (let attempt = 1; ; attempt += 1) {
      await page.goto(`${site.baseUrl}${WORDPRESS.installPath}`, { waitUntil: 'networkidle' });
      const loaded = await page.waitForFunction('typeof window.zxcvbn === "function"', undefined, { timeout: 20_000 }).then(() => true, () => false);
      if (loaded) break;
      if (attempt >= 3) throw new Error(`the installer's password script (zxcvbn) did not load in 3 tries at ${page.url()}`);
    }
    await page.fill('#weblog_title', site.siteTitle);
    await page.fill('#user_login', site.adminUser);
    await page.fill('#pass1', site.adminPassword);
    await page.fill('#admin_email', 'admin@example.invalid');
    const weak = page.locator('input[name="pw_weak"]');
    if (await weak.isVisible()) await weak.check();
    // user-profile.js copies #pass1 into the posted `admin_password2`; if Chromium aborted that
    // script (ERR_NETWORK_CHANGED) the copy never happens: set it as the script would.
    await page.locator('#pass2').evaluate((input, password) => { (input as { value: string }).value = password; }, site.adminPassword);
    await page.click('#submit');
    const outcome = await Promise.race([
      page.waitForSelector('text=Success!').then(() => ''),
      // Never settles when the install succeeds (caught: the browser closes under it).
      page.waitForSelector('p.message, #error-page').then(async (e) => (await e?.innerText()) || 'error', () => new Promise<string>(() => undefined)),
    ]);
    if (outcome) throw new Error(`the WordPress installer refused the form: ${outcome}`);

    await logIn(page, site.baseUrl, site.adminUser, site.adminPassword);

    await page.goto(`${site.baseUrl}/wp-admin/post-new.php`);
    await dismissWelcomeGuide(page);
    const canvas = await editorCanvas(page, site.screenshot.replace(/\.png$/, '') + '-editor-timeout.png');
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
  }, options);
}

async function launch(options: BrowserOptions = {}): Promise<Browser> {
  need(existsSync(CHROMIUM), `Chromium at ${CHROMIUM}`, 'Install Debian\'s chromium (apt-get install -y chromium) or set CHROMIUM_PATH.');
  return chromium.launch({
    executablePath: CHROMIUM,
    env: options.home ? { ...process.env, HOME: options.home } : undefined,
    headless: true,
    // Offline machine: no background calls to Google's services.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/** Runs `steps` on a fresh page of headless Chromium, closed afterwards. */
export async function withPage<T>(steps: (page: Page) => Promise<T>, options: BrowserOptions = {}): Promise<T> {
  const browser = await launch(options);
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(60_000);
    retryNetworkChanged(page);
    const { onRequest } = options;
    if (onRequest) page.on('request', (request) => onRequest(request.url(), request.frame()?.url() ?? page.url()));
    const { onConsole, onResponse } = options;
    if (onResponse) page.on('response', (response) => onResponse(response.url(), response.status()));
    if (onConsole) page.on('console', (message) => onConsole(message.text(), page.url()));
    // A page load the browser gave up on (e.g. ERR_NETWORK_CHANGED), for the log of a failed run.
    page.on('requestfailed', (request) => {
      if (request.isNavigationRequest()) console.error(`browser: ${request.method()} ${request.url()} failed: ${request.failure()?.errorText ?? 'unknown'}`);
    });
    return await steps(page);
  } finally {
    await browser.close();
  }
}

/**
 * Chromium aborts a navigation with ERR_NETWORK_CHANGED when a network interface comes or goes
 * on the machine (Docker and the cluster add veth pairs for every container): a page load is
 * tried again then, up to 5 times.
 */
function retryNetworkChanged(page: Page): void {
  const goto = page.goto.bind(page);
  page.goto = async (url, options) => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await goto(url, options);
      } catch (error) {
        if (attempt >= 5 || !String(error).includes('ERR_NETWORK_CHANGED')) throw error;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  };
}

/**
 * Logs in through wp-login.php; resolves once WordPress shows an admin page (or asks for its
 * database update). A refused login throws with WordPress's message. A submit that leads nowhere
 * (seen once in CI after an upgrade: the login page served, no POST ever reached WordPress in
 * 60 s, cause not established) is logged with what the page showed and tried again, up to 3 times.
 */
export async function logIn(page: Page, baseUrl: string, user: string, password: string): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    await page.goto(`${baseUrl}/wp-login.php`);
    await page.fill('#user_login', user);
    await page.fill('#user_pass', password);
    const arrived = page.waitForURL(/\/wp-admin\//, { timeout: 30_000 }).then(() => '', (error: Error) => brief(error));
    // The click's own failure (e.g. another element takes the pointer) names what stood in the way.
    const clicked = await page.click('#wp-submit', { timeout: 15_000 }).then(() => '', (error: Error) => `the click: ${brief(error, 6)}`);
    const failure = clicked || await arrived;
    if (!failure) return;
    const refused = await page.locator('#login_error').innerText({ timeout: 1000 }).catch(() => '');
    if (refused) throw new Error(`WordPress refused the login of ${user} at ${baseUrl}: ${refused.trim()}`);
    type Field = { id: string; value: string; disabled: boolean; validationMessage: string };
    const form = await page.locator('#loginform input[required]').evaluateAll((inputs) => inputs.map((input) => {
      const f = input as unknown as Field;
      return `${f.id}: ${f.value ? 'filled' : 'empty'}${f.disabled ? ', disabled' : ''}${f.validationMessage ? `, "${f.validationMessage}"` : ''}`;
    }).join('; ') || 'no login form').catch((error: Error) => `unreadable (${brief(error)})`);
    const why = `${failure}; the page: ${page.url()}; its form: ${form}`;
    if (attempt >= 3) throw new Error(`the login at ${baseUrl} did not lead to an admin page in 3 tries: ${why}`);
    console.error(`logIn: try ${attempt} did not lead to an admin page (${why}); trying again`);
  }
}

/** The first `lines` lines of an error's message (Playwright's call log follows the first), on one line. */
const brief = (error: Error, lines = 1) => error.message.split('\n').map((l) => l.trim()).filter(Boolean).slice(0, lines).join(' | ');

/** Uploads a file with the media library's browser uploader (logged in); returns the attachment. */
export async function uploadMedia(page: Page, baseUrl: string, file: string): Promise<{ id: number; url: string }> {
  await page.goto(`${baseUrl}/wp-admin/media-new.php?browser-uploader`);
  await page.setInputFiles('#async-upload', file);
  await Promise.all([page.waitForURL(/\/wp-admin\/upload\.php/), page.click('#html-upload')]);
  const name = basename(file).replace(/\.[^.]+$/, '');
  const media = await restFetch(page, baseUrl, 'GET', `/wp/v2/media?search=${encodeURIComponent(name)}&context=edit`) as { id: number; source_url: string }[];
  const found = media.find((m) => basename(new URL(m.source_url).pathname).startsWith(name));
  if (!found) throw new Error(`the media library does not list the uploaded ${basename(file)}`);
  return { id: found.id, url: found.source_url };
}

/** Appends a link and an image block to a post (REST API, as the logged-in user). */
export async function addToPost(page: Page, baseUrl: string, postId: number, link: string, image: { id: number; url: string }): Promise<void> {
  const post = await restFetch(page, baseUrl, 'GET', `/wp/v2/posts/${postId}?context=edit`) as { content: { raw: string } };
  const content = `${post.content.raw}
<!-- wp:paragraph --><p>Back to <a href="${link}">the site</a>.</p><!-- /wp:paragraph -->
<!-- wp:image {"id":${image.id}} --><figure class="wp-block-image"><img src="${image.url}" alt="" class="wp-image-${image.id}"/></figure><!-- /wp:image -->`;
  await restFetch(page, baseUrl, 'POST', `/wp/v2/posts/${postId}`, { content });
}

/** A REST API call from the page, with the logged-in user's cookies and REST nonce. */
async function restFetch(page: Page, baseUrl: string, method: 'GET' | 'POST', route: string, body?: unknown): Promise<unknown> {
  if (!page.url().startsWith(`${baseUrl}/wp-admin/`)) await page.goto(`${baseUrl}/wp-admin/`);
  const result = await page.evaluate(async ({ baseUrl, method, route, body }) => {
    const nonce = await (await fetch(`${baseUrl}/wp-admin/admin-ajax.php?action=rest-nonce`)).text();
    const [path, query] = route.split('?');
    const url = `${baseUrl}/?rest_route=${encodeURIComponent(path)}${query ? `&${query}` : ''}`;
    const response = await fetch(url, {
      method, headers: { 'X-WP-Nonce': nonce, 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, text: await response.text() };
  }, { baseUrl, method, route, body });
  if (result.status >= 300) throw new Error(`REST ${method} ${route}: ${result.status} ${result.text.slice(0, 200)}`);
  return JSON.parse(result.text);
}

/**
 * After a new WordPress core: runs the database update the admin asks for (upgrade.php, its
 * "Update WordPress Database" button), then returns the version the admin footer reports.
 */
export async function updateDatabaseAndReadVersion(page: Page, baseUrl: string, screenshot: string): Promise<string> {
  await page.goto(`${baseUrl}/wp-admin/upgrade.php`);
  const update = page.getByRole('link', { name: /Update WordPress Database/i });
  if (await update.isVisible()) {
    await update.click();
    await page.getByText(/Update Complete/i).waitFor();
    await page.getByRole('link', { name: /Continue/i }).click();
  }
  await page.goto(`${baseUrl}/wp-admin/about.php`);
  const footer = (await page.locator('#footer-upgrade').innerText()).trim();
  await page.screenshot({ path: screenshot });
  const version = /Version\s+(\S+)/.exec(footer)?.[1];
  if (!version) throw new Error(`the admin footer shows no version: "${footer}"`);
  return version;
}

/** Every address a page links to or loads (href, src, srcset), as the browser resolved them. */
export async function pageAddresses(page: Page, url: string): Promise<string[]> {
  await page.goto(url, { waitUntil: 'networkidle' });
  // (Evaluated in the page, as text: the project's TypeScript has no DOM types.)
  return page.evaluate(`(() => {
    const out = [];
    document.querySelectorAll('[href],[src],[srcset]').forEach((el) => {
      for (const attr of ['href', 'src']) { const v = el.getAttribute(attr); if (v) out.push(v); }
      const srcset = el.getAttribute('srcset');
      if (srcset) out.push(...srcset.split(',').map((s) => s.trim().split(/\\s+/)[0]));
    });
    return out;
  })()`) as Promise<string[]>;
}

async function dismissWelcomeGuide(page: Page): Promise<void> {
  const close = page.locator('.edit-post-welcome-guide, .editor-welcome-guide').getByRole('button', { name: /close/i });
  await close.click({ timeout: 10_000 }).catch(() => undefined);
}

/**
 * The block editor's canvas: newer editors render the post in an iframe, older ones in the page
 * itself. When it does not appear, keeps a screenshot at `timeoutScreenshot` and throws with the
 * page's URL and title.
 */
async function editorCanvas(page: Page, timeoutScreenshot: string): Promise<Page | Frame> {
  try {
    await page.waitForSelector('iframe[name="editor-canvas"], .editor-post-title__input, .wp-block-post-title');
  } catch (error) {
    const title = await page.title().catch(() => '(no title)');
    const saved = await page.screenshot({ path: timeoutScreenshot, fullPage: true }).then(() => timeoutScreenshot, () => '(screenshot failed)');
    throw new Error(`the block editor did not appear at ${page.url()} (title "${title}", screenshot ${saved}): ${(error as Error).message}`);
  }
  const frame = page.frame({ name: 'editor-canvas' });
  return frame ?? page;
}

// A headless Chromium (Debian's /usr/bin/chromium) driven with playwright-core, for what only a browser can do with
// Jenkins: its forms are built by JavaScript (on-demand rendering, the JSON form submission), and screenshots.
//   node browser.mjs snippet    JENKINS_URL STEP FIELDS_JSON   -> prints the Snippet Generator's script for STEP
//   node browser.mjs roundtrip  JENKINS_URL JOB                -> opens the job's configure page and saves it unchanged
//   node browser.mjs screenshot URL FILE [WIDTH HEIGHT [top|bottom|full]]  -> a PNG of the page's top (default),
//                                                              its end (a console's last lines) or all of it
// Exit 0 on success; errors go to stderr with exit 1.
import { chromium } from 'playwright-core';

const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
// This machine has no network beyond loopback: Chromium's own background connections are turned off.
const args = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

async function withPage(width, height, fn) {
  const browser = await chromium.launch({ executablePath, args, headless: true });
  try {
    const page = await browser.newPage({ viewport: { width, height } });
    page.setDefaultTimeout(60000);
    return await fn(page);
  } finally {
    await browser.close();
  }
}

async function snippet(base, step, fields) {
  return withPage(1400, 1000, async page => {
    await page.goto(new URL('pipeline-syntax/', base).href, { waitUntil: 'networkidle' });
    const select = page.locator('select.dropdownList').first();
    const label = await select.locator('option').evaluateAll((os, s) => (os.find(o => o.textContent.startsWith(s + ': ')) || {}).textContent, step);
    if (!label) throw new Error(`the Snippet Generator offers no step ${step}`);
    await select.selectOption({ label });
    // The step's form is rendered on demand: wait until a field asked for is in the page (it may be inside a closed
    // "Advanced" section, so present, not visible), then open those sections.
    const wanted = Object.keys(fields).map(n => `[name="_.${n}"]`).join(', ');
    await page.locator(wanted).first().waitFor({ state: 'attached' });
    for (let round = 0; round < 5; round++) {
      const closed = page.locator('button.advancedButton:visible:not([data-e2e-opened])');
      if (await closed.count() === 0) break;
      for (const button of await closed.elementHandles()) {
        await button.evaluate(b => b.setAttribute('data-e2e-opened', 'true'));
        await button.click();
      }
    }
    for (const [name, value] of Object.entries(fields)) {
      const input = page.locator(`[name="_.${name}"]`).filter({ visible: true }).or(page.locator(`input[type=checkbox][name="_.${name}"]`)).first();
      await input.waitFor({ state: 'attached' });
      const type = await input.evaluate(e => e.tagName.toLowerCase() === 'select' ? 'select' : (e.getAttribute('type') || 'text'));
      if (type === 'checkbox') {
        // Jenkins draws its own box over a hidden input: a click on the input itself toggles it and fires its events.
        await input.evaluate((e, want) => { if (e.checked !== want) e.click(); }, value === true || value === 'true');
      } else if (type === 'select') {
        await input.selectOption(String(value));
      } else {
        await input.fill(String(value));
      }
    }
    await page.locator('#generatePipelineScript').click();
    await page.waitForFunction(() => document.getElementById('prototypeText').value.length > 0);
    return page.locator('#prototypeText').inputValue();
  });
}

async function roundtrip(base, job) {
  return withPage(1400, 1000, async page => {
    await page.goto(new URL(`job/${job}/configure`, base).href, { waitUntil: 'networkidle' });
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('button[name="Submit"]').click()]);
    return page.url();
  });
}

async function screenshot(url, file, width, height, part) {
  return withPage(width, height, async page => {
    await page.goto(url, { waitUntil: 'networkidle' });
    if (part === 'bottom') {
      await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      await page.waitForTimeout(300);
    }
    await page.screenshot({ path: file, fullPage: part === 'full' });
    return file;
  });
}

const [cmd, ...rest] = process.argv.slice(2);
try {
  let result;
  if (cmd === 'snippet') result = await snippet(rest[0], rest[1], JSON.parse(rest[2] || '{}'));
  else if (cmd === 'roundtrip') result = await roundtrip(rest[0], rest[1]);
  else if (cmd === 'screenshot') result = await screenshot(rest[0], rest[1], Number(rest[2] || 1400), Number(rest[3] || 900), rest[4] || 'top');
  else throw new Error('usage: browser.mjs snippet|roundtrip|screenshot ...');
  process.stdout.write(JSON.stringify(result) + '\n');
} catch (e) {
  process.stderr.write(String(e && e.stack || e) + '\n');
  process.exit(1);
}

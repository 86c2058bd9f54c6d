// The console's browser end-to-end tests: headless Debian Chromium driven by playwright-core against a
// running Ordo. e2e/console_browser_test.go starts Ordo (SQLite, then PostgreSQL), writes the data and
// runs this file with node; it fails on a non-zero exit. The checks find elements by the accessible
// names of the UI contract (roles and labels), so that they double as an accessibility check.
//
// Environment: ORDO_URL, ORDO_API_KEY (admin key, for placing orders as a channel would),
// ORDO_ADMIN_EMAIL/_NAME/_PASSWORD, ORDO_SUPPORT_EMAIL/_PASSWORD, ORDO_CHANNEL_ID, ORDO_SKU (the SKU
// ordered and cancelled), ORDO_RETURN_ORDER_ID/_NUMBER/_SKU (a shipped order), ORDO_RETURN_LOCATION
// (the location name the return is received at), ORDO_SCREENSHOTS (optional: a folder for the
// README's screenshots).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set (run through e2e/console_browser_test.go)`);
  return v;
};
const BASE = env('ORDO_URL');
const KEY = env('ORDO_API_KEY');
const ADMIN = { email: env('ORDO_ADMIN_EMAIL'), name: process.env.ORDO_ADMIN_NAME || '', password: env('ORDO_ADMIN_PASSWORD') };
const SUPPORT = { email: env('ORDO_SUPPORT_EMAIL'), password: env('ORDO_SUPPORT_PASSWORD') };
const CHANNEL = env('ORDO_CHANNEL_ID');
const SKU = env('ORDO_SKU');
const RETURN = { id: env('ORDO_RETURN_ORDER_ID'), number: env('ORDO_RETURN_ORDER_NUMBER'), sku: env('ORDO_RETURN_SKU'), location: env('ORDO_RETURN_LOCATION') };
const SHOTS = process.env.ORDO_SCREENSHOTS || '';

const url = (path) => BASE + path;
const ms = (t0) => `${Math.round(performance.now() - t0)} ms`;

let browser;
let admin; // the admin's browser context (one signed-in session, two tabs)
let board; // the admin's first tab
let placed; // the order placed through the API: {id, number, allocations}

before(async () => {
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  admin = await newContext();
  board = await admin.newPage();
});

after(async () => {
  await browser?.close();
});

async function newContext() {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  ctx.setDefaultTimeout(5000);
  ctx.setDefaultNavigationTimeout(10000);
  ctx.on('page', watch);
  return ctx;
}

// watch prints the page's uncaught errors, so that a failing check comes with its cause.
function watch(page) {
  page.on('pageerror', (err) => console.log(`  [page error] ${page.url()}: ${err.message}`));
  // A GraphQL request the server refused outright (400): which operation, and why.
  page.on('response', async (res) => {
    if (!res.url().endsWith('/graphql') || res.status() < 400 || res.status() === 401) return;
    let op = '';
    try {
      op = JSON.parse(res.request().postData() || '{}').query?.match(/(query|mutation)\s*(\w*)/)?.[0] || '';
    } catch {}
    console.log(`  [graphql ${res.status()}] ${op}: ${(await res.text().catch(() => '')).slice(0, 300)}`);
  });
  const said = new Set();
  page.on('console', (msg) => {
    const text = msg.text();
    // A 401 is how the console learns it is signed out; repeats say nothing new.
    if (msg.type() !== 'error' || / 401 /.test(text) || said.has(text)) return;
    said.add(text);
    console.log(`  [console error] ${page.url()}: ${text}`);
  });
}

// graphql runs an operation with the admin API key, as a channel or another system would.
async function graphql(query, variables) {
  const res = await fetch(url('/graphql'), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${KEY}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  assert.ok(!body.errors, `GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data;
}

// Seen is what a check saw while its condition did not hold yet: until keeps waiting and reports it.
class Seen {
  constructor(v) {
    this.v = v;
  }
  toJSON() {
    return this.v;
  }
}
const seen = (v) => new Seen(v);

// until polls fn until it returns a truthy value other than a Seen, or fails with what it last saw.
async function until(what, fn, timeout = 5000) {
  const end = performance.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last && !(last instanceof Seen)) return last;
    } catch (err) {
      last = err.message;
    }
    if (performance.now() > end) assert.fail(`${what}: not within ${timeout} ms (last: ${JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const heading = (page, name) => page.getByRole('heading', { name, exact: true });
const button = (scope, name) => scope.getByRole('button', { name, exact: true });
const section = (page, name) => page.locator('section').filter({ has: heading(page, name) });

async function signIn(page, who) {
  await page.goto(url('/console/sign-in'));
  await heading(page, 'Sign in').waitFor();
  await page.getByLabel('Email', { exact: true }).fill(who.email);
  await page.getByLabel('Password', { exact: true }).fill(who.password);
  await button(page, 'Sign in').click();
}

async function session(ctx) {
  const res = await ctx.request.get(url('/console/api/session'));
  return { status: res.status(), body: res.ok() ? await res.json() : null };
}

// unnamed lists the page's form fields without an accessible name (a <label> or aria-label(ledby)).
async function unnamed(page) {
  return page.locator('input,select,textarea').evaluateAll((els) =>
    els
      .filter((el) => el.type !== 'hidden')
      .filter((el) => !(el.labels?.length || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')))
      .map((el) => el.outerHTML.slice(0, 120)),
  );
}

// setField fills an input or textarea (with a sentence when value is ''), or picks the option whose
// text contains value in a select (the first real option when value is '').
async function setField(field, value) {
  const tag = await field.evaluate((el) => el.tagName);
  if (tag !== 'SELECT') return field.fill(value || 'the customer asked');
  // The options may still be loading (a select of locations, say).
  const pick = await until(`option "${value}"`, async () => {
    const options = await field.locator('option').evaluateAll((os) => os.map((o) => ({ value: o.value, label: o.textContent })));
    return options.find((o) => o.value && (value === '' || o.label.includes(value) || o.value === value)) || seen(options);
  });
  await field.selectOption(pick.value);
}

async function screenshot(page, name) {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
  console.log(`  screenshot ${name}.png`);
}

test('the bundle as served (gzip -9 size)', async () => {
  const html = await (await fetch(url('/console/'))).text();
  const src = html.match(/\/console\/app\.js\?v=[0-9a-zA-Z_-]+/);
  assert.ok(src, `index.html names no /console/app.js?v=…: ${html.slice(0, 300)}`);
  const res = await fetch(url(src[0]), { headers: { 'Accept-Encoding': 'identity' } });
  assert.equal(res.status, 200);
  const raw = Buffer.from(await res.arrayBuffer());
  const gz = gzipSync(raw, { level: 9 });
  console.log(`  bundle ${src[0]}: ${raw.length} bytes, ${gz.length} bytes gzip -9 (${(gz.length / 1024).toFixed(1)} KiB)`);
  assert.ok(raw.length > 1000, 'the bundle is suspiciously small');
});

test('1. an admin signs in and sees the board', async () => {
  await board.goto(url('/console/'));
  await heading(board, 'Sign in').waitFor();
  assert.deepEqual(await unnamed(board), [], 'sign-in form fields without an accessible name');
  await signIn(board, ADMIN);
  await heading(board, 'Orders').waitFor();
  await board.getByRole('table', { name: 'Orders' }).waitFor();
  const nav = board.getByRole('navigation', { name: 'Main' });
  for (const link of ['Orders', 'Inventory', 'Customers', 'Channels', 'Peak', 'Exceptions', 'Listings', 'Imports', 'Staff', 'Jobs']) {
    await nav.getByRole('link', { name: link, exact: true }).waitFor();
  }
  await board.getByText(ADMIN.email).first().waitFor();
  const s = await session(admin);
  assert.equal(s.status, 200, 'GET /console/api/session after signing in');
  assert.equal(s.body.user.email, ADMIN.email);
});

test('2. an order placed through the API appears on the board within 1 s, without reload', async () => {
  await board.evaluate(() => (window.__noReload = true));
  const live = board.getByLabel('Live updates');
  await until('the live indicator says Live', async () => (await live.textContent()).trim() === 'Live');
  const data = await graphql(
    `mutation($in: PlaceOrderInput!) { placeOrder(input: $in) { order { id number
      allocations { locationID quantity location { name } } } } }`,
    { in: { channelID: CHANNEL, externalID: `CON-${Date.now()}`, paid: true, lines: [{ sku: SKU, quantity: 3 }],
      customer: { email: 'an.nguyen@example.com', name: 'An Nguyen' },
      shippingAddress: { name: 'An Nguyen', line1: '10 Sukhumvit Road', city: 'Bangkok', countryCode: 'TH', postalCode: '10110', latitude: 13.74, longitude: 100.55 } } },
  );
  const t0 = performance.now();
  placed = data.placeOrder.order;
  assert.ok(placed.allocations.length > 0, 'the order is allocated');
  const link = board.getByRole('table', { name: 'Orders' }).getByRole('link', { name: placed.number, exact: true });
  await link.waitFor({ state: 'visible', timeout: 1000 });
  console.log(`  ${placed.number} on the board ${ms(t0)} after placeOrder returned`);
  assert.equal(await board.evaluate(() => window.__noReload), true, 'the board was reloaded');
  await screenshot(board, 'board');
});

test('8a. board: every field is labelled; keyboard from search to the first row and Enter opens it', async () => {
  await board.goto(url('/console/'));
  await heading(board, 'Orders').waitFor();
  const table = board.getByRole('table', { name: 'Orders' });
  const first = table.getByRole('row').nth(1).getByRole('link').first();
  await first.waitFor();
  assert.deepEqual(await unnamed(board), [], 'board fields without an accessible name');
  const number = (await first.textContent()).trim();
  await board.getByLabel('Search orders').focus();
  const onFirst = () => first.evaluate((el) => el === document.activeElement);
  await board.keyboard.press('ArrowDown');
  for (let i = 0; i < 30 && !(await onFirst()); i++) await board.keyboard.press('Tab');
  assert.ok(await onFirst(), `neither ArrowDown nor Tab from "Search orders" reached ${number}`);
  await board.keyboard.press('Enter');
  await heading(board, `Order ${number}`).waitFor();
  assert.match(board.url(), /\/console\/orders\/[^/]+$/);
});

test('8c. board: the filter is kept in the address, so a reload keeps it', async () => {
  await board.goto(url('/console/'));
  await heading(board, 'Orders').waitFor();
  await board.getByLabel('Search orders').fill(placed.number);
  await until('the search is in the address', async () => new URL(board.url()).searchParams.has('f'));
  await board.reload();
  await heading(board, 'Orders').waitFor();
  assert.equal(await board.getByLabel('Search orders').inputValue(), placed.number, 'the search box after a reload');
  const table = board.getByRole('table', { name: 'Orders' });
  await table.getByRole('link', { name: placed.number, exact: true }).waitFor();
  await until('only the searched order is listed', async () => (await table.getByRole('row').count()) === 2);
  await board.goto(url('/console/'));
  await heading(board, 'Orders').waitFor();
  assert.equal(await board.getByLabel('Search orders').inputValue(), '', 'a plain /console/ has no filter');
});

test('3. cancel a line; the lines table shows it and the inventory tab updates live', async () => {
  assert.ok(placed, 'needs the order of step 2');
  const alloc = placed.allocations[0];
  // The inventory grid in a second tab, opened before cancelling.
  const inventory = await admin.newPage();
  await inventory.goto(url('/console/inventory'));
  await heading(inventory, 'Inventory').waitFor();
  const cell = inventory.getByTestId(`level-${SKU}-${alloc.locationID}`);
  try {
    await cell.waitFor({ timeout: 3000 });
  } catch {
    await inventory.getByLabel('Search SKU').fill(SKU);
    await cell.waitFor();
  }
  const available = async () => Number((await cell.locator('[data-field="available"]').textContent()).trim());
  const was = await available();
  assert.ok(Number.isInteger(was), `available reads "${was}"`);
  await inventory.evaluate(() => (window.__noReload = true));

  await board.goto(url(`/console/orders/${placed.id}`));
  await heading(board, `Order ${placed.number}`).waitFor();
  await section(board, 'Lines').waitFor();
  await button(board, `Reject allocation ${alloc.location.name}`).waitFor(); // an admin may; step 6 checks support may not
  assert.deepEqual(await unnamed(board), [], 'order page fields without an accessible name');

  // 8b. A dialog opened by keyboard takes focus; Escape closes it and gives focus back.
  const opener = button(board, `Cancel line ${SKU}`);
  await opener.focus();
  await board.keyboard.press('Enter');
  const dialog = board.getByRole('dialog');
  await dialog.waitFor();
  await until('focus inside the dialog', () => dialog.evaluate((d) => d.contains(document.activeElement)), 2000);
  assert.deepEqual(await unnamed(board), [], 'dialog fields without an accessible name');
  await board.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  await until('focus back on the opener', () => opener.evaluate((el) => el === document.activeElement), 2000);

  await opener.click();
  await dialog.waitFor();
  await setField(dialog.getByLabel('Quantity', { exact: true }), '1');
  await setField(dialog.getByLabel('Reason', { exact: true }), 'customer changed their mind');
  const t0 = performance.now();
  await button(dialog, 'Confirm').click();
  await dialog.waitFor({ state: 'hidden' });

  const lines = board.getByRole('table', { name: 'Lines' });
  await until('the Lines table shows 1 cancelled unit', async () => {
    const headers = await lines.locator('thead th, thead td').allTextContents();
    const col = headers.findIndex((h) => /cancel/i.test(h));
    const cells = await lines.locator('tbody tr').filter({ hasText: SKU }).first().locator('th,td').allTextContents();
    return (col >= 0 && cells[col]?.trim() === '1') || seen({ headers, cells });
  });

  await until(`available ${SKU} at ${alloc.location.name} rises by 1 (from ${was})`, async () => (await available()) === was + 1, 5000);
  console.log(`  inventory tab showed ${was} → ${was + 1} available ${ms(t0)} after Confirm`);
  assert.equal(await inventory.evaluate(() => window.__noReload), true, 'the inventory tab was reloaded');
  await inventory.close();
});

test('4. start, approve and receive a return; the timeline names the admin', async () => {
  await board.goto(url(`/console/orders/${RETURN.id}`));
  await heading(board, `Order ${RETURN.number}`).waitFor();
  await screenshot(board, 'order');
  const dialog = board.getByRole('dialog');
  await button(board, 'Start return').click();
  await dialog.waitFor();
  await setField(dialog.getByLabel(`Return quantity ${RETURN.sku}`, { exact: true }), '1');
  await setField(dialog.getByLabel('Reason', { exact: true }), '');
  await button(dialog, 'Confirm').click();
  await dialog.waitFor({ state: 'hidden' });

  const confirmIfAsked = async () => {
    try {
      await dialog.waitFor({ timeout: 700 });
    } catch {
      return;
    }
    await button(dialog, 'Confirm').click();
    await dialog.waitFor({ state: 'hidden' });
  };
  await button(board, 'Approve return').click();
  await confirmIfAsked();
  await button(board, 'Receive return').click();
  await dialog.waitFor();
  await setField(dialog.getByLabel('Location', { exact: true }), RETURN.location);
  await button(dialog, 'Confirm').click();
  await dialog.waitFor({ state: 'hidden' });

  const returns = section(board, 'Returns');
  // The return's own heading carries its status (the lines table has a "Received" column too).
  await until('the return shows RECEIVED', async () => {
    const titles = await returns.getByRole('heading').allInnerTexts();
    return titles.some((t) => /^\S+\s+(RECEIVED|Received)\b/.test(t.trim())) || seen(titles);
  });
  const timeline = section(board, 'Timeline');
  // The actor is the staff user: their email (or, where actorName prefers it, their name).
  const actor = await until(`the timeline shows the return's events by ${ADMIN.email}`, async () => {
    const text = await timeline.innerText();
    const who = [ADMIN.email, ADMIN.name].find((w) => w && text.includes(w));
    return (who && /approv/i.test(text) && /receiv/i.test(text) && who) || seen(text.slice(0, 400));
  });
  console.log(`  timeline actor: ${actor}`);
});

test('10. an admin imports a products CSV and follows it live to the end; the SKUs exist after', async () => {
  const sku = `IMP-${Date.now()}`;
  await board.evaluate(() => (window.__noReload = true));
  await board.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Imports', exact: true }).click();
  await heading(board, 'Imports').waitFor();
  assert.deepEqual(await unnamed(board), [], 'import form fields without an accessible name');
  const csv = 'sku,name,product,price,currency,weight_g,length_mm,width_mm,height_mm\n' +
    `${sku}-S,Import tee S,Import tee,19.90,USD,180,300,250,20\n` +
    `${sku}-M,Import tee M,Import tee,19.90,USD,190,300,250,20\n`;
  await board.getByLabel('CSV file').setInputFiles({ name: `${sku}.csv`, mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await button(board, 'Import').click();
  const row = board.getByRole('table', { name: 'Imports' }).locator('tr', { hasText: `${sku}.csv` });
  await until('the import runs to SUCCEEDED on the page', async () =>
    (await row.locator('.import-status').textContent().catch(() => '')) === 'SUCCEEDED', 20000);
  assert.match(await row.locator('.import-summary').textContent(), /2 created/);
  assert.equal(await board.evaluate(() => window.__noReload), true, 'the page was reloaded');
  const d = await graphql(`query($w: VariantWhereInput) { variants(first: 5, where: $w) { totalCount } }`,
    { w: { skuHasPrefix: sku } });
  assert.equal(d.variants.totalCount, 2, 'the imported SKUs');

  // The same file again: checked, nothing changed.
  await board.getByLabel('CSV file').setInputFiles({ name: `${sku}-again.csv`, mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await button(board, 'Import').click();
  const again = board.getByRole('table', { name: 'Imports' }).locator('tr', { hasText: `${sku}-again.csv` });
  await until('the re-import succeeds', async () =>
    (await again.locator('.import-status').textContent().catch(() => '')) === 'SUCCEEDED', 20000);
  assert.match(await again.locator('.import-summary').textContent(), /2 unchanged/);
  await screenshot(board, 'imports');
});

test('9. a session revoked on the server sends the next navigation to sign-in, and back after', async () => {
  const s = await session(admin);
  assert.equal(s.status, 200);
  const cookies = await admin.cookies();
  const res = await admin.request.post(url('/console/api/signout'), { headers: { 'X-CSRF-Token': s.body.csrfToken } });
  assert.equal(res.status(), 204, 'POST /console/api/signout');
  await admin.addCookies(cookies); // the browser still holds the (now revoked) cookie
  assert.equal((await session(admin)).status, 401, 'the revoked session still answers');
  await board.goto(url('/console/inventory'));
  await heading(board, 'Sign in').waitFor();
  await board.getByLabel('Email', { exact: true }).fill(ADMIN.email);
  await board.getByLabel('Password', { exact: true }).fill(ADMIN.password);
  await button(board, 'Sign in').click();
  await heading(board, 'Inventory').waitFor();
  assert.match(board.url(), /\/console\/inventory$/, 'after signing in again the console returns to where the user was');
});

test('5. sign out goes to sign-in, and /console/ asks again', async () => {
  if ((await session(admin)).status !== 200) await signIn(board, ADMIN);
  if (SHOTS) {
    await board.goto(url('/console/peak'));
    await heading(board, 'Peak').waitFor();
    await board.waitForTimeout(1500);
    await screenshot(board, 'peak');
  }
  await board.goto(url('/console/'));
  await heading(board, 'Orders').waitFor();
  await button(board, 'Sign out').click();
  await heading(board, 'Sign in').waitFor();
  assert.equal((await session(admin)).status, 401, 'the session survived signing out');
  await board.goto(url('/console/'));
  await heading(board, 'Sign in').waitFor();
});

test('6. a support agent sees no admin links or actions it may not call', async () => {
  assert.ok(placed, 'needs the order of step 2');
  const ctx = await newContext();
  const page = await ctx.newPage();
  await signIn(page, SUPPORT);
  await heading(page, 'Orders').waitFor();
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Orders', exact: true }).waitFor();
  for (const link of ['Staff', 'Jobs']) {
    assert.equal(await nav.getByRole('link', { name: link, exact: true }).count(), 0, `support sees the "${link}" link`);
  }
  await page.goto(url(`/console/orders/${placed.id}`));
  await heading(page, `Order ${placed.number}`).waitFor();
  // Support may cancel (cancelOrder: staff) and hold (holdOrder: staff) ...
  await button(page, 'Cancel order').waitFor();
  await button(page, 'Hold').waitFor();
  // ... but not reject an allocation or plan shipments (warehouse work: admin, operator, partner).
  const loc = placed.allocations[0].location.name;
  assert.equal(await button(page, `Reject allocation ${loc}`).count(), 0, 'support sees "Reject allocation"');
  assert.equal(await button(page, 'Plan shipments').count(), 0, 'support sees "Plan shipments"');
  await ctx.close();
});

test('7. a wrong password is refused with an alert and no session; the 6th try is rate limited', async () => {
  const ctx = await newContext();
  const page = await ctx.newPage();
  await page.goto(url('/console/sign-in'));
  await heading(page, 'Sign in').waitFor();
  const alert = page.getByRole('alert');
  const statuses = [];
  let refused = '';
  for (let i = 1; i <= 6; i++) {
    await page.getByLabel('Email', { exact: true }).fill(SUPPORT.email);
    await page.getByLabel('Password', { exact: true }).fill(`wrong password ${i}`);
    const answer = page.waitForResponse((r) => r.url().endsWith('/console/api/signin'));
    await button(page, 'Sign in').click();
    statuses.push((await answer).status());
    await alert.first().waitFor();
    if (i === 1) {
      refused = (await alert.first().innerText()).trim();
      assert.ok(refused, 'the alert is empty');
      assert.equal((await session(ctx)).status, 401, 'a wrong password made a session');
      await heading(page, 'Sign in').waitFor();
    }
  }
  assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429], 'sign-in answers');
  const limited = await until('the rate-limit message', async () => {
    const t = (await alert.first().innerText()).trim();
    return (t && t !== refused && t) || seen(t);
  });
  console.log(`  wrong password: "${refused}"; 6th try: "${limited}"`);
  assert.equal((await session(ctx)).status, 401);
  await ctx.close();
});

// End-to-end flows of the izde web application in a real browser: Debian's
// chromium (/usr/bin/chromium) driven by playwright-core. Nothing is
// downloaded. The test makes its own demo vault of synthetic people under
// $IZDE_BIN_DIR/browser-test, starts `izde serve` on a free loopback port,
// and walks: unlock (admin); sign in as a documenter in a second browser and
// check the role's menu; search a Latin spelling and open the person; review a
// suggested duplicate (accept, undo, skip) and read an inquiry; add a person in
// Kazakh Cyrillic (first with a bad date); the Uyghur interface in RTL
// (screenshots); lock and check nothing is readable; the search and review flows
// again with JavaScript disabled.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const binDir = process.env.IZDE_BIN_DIR;
if (!binDir) throw new Error('IZDE_BIN_DIR must name the build directory that holds izde');
const izde = path.join(binDir, 'izde');
const work = path.join(binDir, 'browser-test');
const vaultDir = path.join(work, 'vault');
const passFile = path.join(work, 'passphrase');
const passphrase = 'synthetic demo passphrase for the browser test';
const accountPassFile = path.join(work, 'account-password');
const accountPassword = 'documenter password for the browser test';
const chromiumFlags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
  '--no-first-run', '--disable-background-networking', '--disable-component-update',
  '--disable-sync'];

function check(condition, what) {
  if (!condition) throw new Error(`FAILED: ${what}`);
  console.log(`ok - ${what}`);
}

function runIzde(args) {
  return execFileSync(izde, ['--vault', vaultDir, ...args], {
    env: { ...process.env, IZDE_PASSPHRASE_FILE: passFile, IZDE_USER: 'admin' },
    encoding: 'utf8',
  });
}

function makeVault() {
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  fs.writeFileSync(passFile, passphrase + '\n', { mode: 0o600 });
  runIzde(['init', '--kdf-cost', 'test-only-minimum']);
  runIzde(['--quiet', 'demo', '--people', '200', '--duplicates', '12', '--sought', '2']);
  runIzde(['--quiet', 'link']);
  fs.writeFileSync(accountPassFile, accountPassword + '\n', { mode: 0o600 });
  runIzde(['accounts', 'add', 'zhanar', '--role', 'documenter', '--password-file', accountPassFile]);
  runIzde(['accounts', 'add', 'observer', '--role', 'viewer', '--password-file', accountPassFile]);
}

async function signIn(page, url, name) {
  const res = await page.goto(url + '/');
  check(res.status() === 403, 'an anonymous visitor of an unlocked server gets 403');
  check(await page.locator('#login-form').count() === 1, 'and the sign-in form only');
  await page.fill('#name', name);
  await page.fill('#password', accountPassword);
  await Promise.all([page.waitForURL(url + '/'), page.click('#login-form button[type=submit]')]);
  check(await page.locator('table.counts').count() === 1, `${name} is signed in`);
}

// A person the demo made, found from the command line by a Latin spelling,
// and the name forms the browser must show for them.
function pickPerson() {
  for (const word of ['Tursun', 'Memet', 'Ahmet', 'Aygul', 'Nur', 'Ali']) {
    const hits = JSON.parse(runIzde(['--json', 'search', word, '--limit', '20'])).hits
      .filter((h) => h.type === 'person');
    for (const h of hits) {
      const rec = JSON.parse(runIzde(['--json', 'show', h.id]));
      const doc = rec.record ?? rec.doc ?? rec;
      const names = (doc.names ?? rec.names ?? []).map((n) => n.text);
      if (names.some((n) => !/[A-Za-z]/.test(n))) return { word, id: h.id, names };
    }
  }
  throw new Error('the demo vault has no person with a non-Latin name form for any probe word');
}

async function startServer() {
  const child = spawn(izde, ['--vault', vaultDir, 'serve', '--listen', '127.0.0.1:0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('izde serve did not start')), 20000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/(http:\/\/127\.0\.0\.1:\d+)\//);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`izde serve exited with ${code}`)));
  });
  return { child, url };
}

async function newContext(name, javaScriptEnabled) {
  const dataDir = path.join(work, `profile-${name}`);
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir);
  return chromium.launchPersistentContext(dataDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: chromiumFlags,
    javaScriptEnabled,
    locale: 'en-US',
    viewport: { width: 1200, height: 900 },
  });
}

// Every console error (a CSP violation shows as one) fails the test, except
// the notes chromium logs for the 4xx answers the flows provoke on purpose.
function watchConsole(page, errors) {
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
}

async function unlock(page, url) {
  const res = await page.goto(url + '/');
  check(res.status() === 403, 'a locked server answers 403 with the unlock page');
  check(await page.locator('#unlock-form').count() === 1, 'the unlock form is shown');
  const csp = res.headers()['content-security-policy'] ?? '';
  check(csp.includes("default-src 'self'") && csp.includes("frame-ancestors 'none'"),
    'the page carries a strict CSP');
  await page.fill('#user', 'admin');
  await page.fill('#passphrase', passphrase);
  await Promise.all([page.waitForURL(url + '/'), page.click('#unlock-form button[type=submit]')]);
  check(await page.locator('table.counts').count() === 1, 'unlocking shows the dashboard');
}

async function searchAndOpen(page, url, person) {
  await page.goto(url + '/search');
  await page.fill('#q', person.word);
  await Promise.all([page.waitForURL(/\/search\?q=/), page.press('#q', 'Enter')]);
  const link = page.locator(`ol.hits a[href="/person/${person.id}"]`);
  check(await link.count() === 1, `searching "${person.word}" lists ${person.id}`);
  await Promise.all([page.waitForURL(url + `/person/${person.id}`), link.click()]);
  const shown = await page.locator('ul.names').innerText();
  for (const n of person.names) check(shown.includes(n), `the person page shows the name form ${n}`);
}

// The first suggested duplicate in the queue: accepted as one person, which the queue
// and the dashboard count, then taken back with "Undo".
async function reviewDuplicate(page, url, how) {
  await page.goto(url + '/review');
  const pending = Number(await page.locator('#review-pending').innerText());
  check(pending >= 1, `${how}: the review queue holds ${pending} suggested duplicates`);
  const pair = await page.locator('#pair').getAttribute('data-pair');
  const rows = await page.locator('table.compare tbody tr').count();
  check(rows >= 6, `${how}: ${pair} is shown side by side, field by field`);
  check(await page.locator('table.compare tr.agree').count() >= 1, `${how}: agreeing fields are marked`);
  await Promise.all([page.waitForURL(/done=accept/), page.click('#review-accept')]);
  check((await page.locator('p.done').innerText()).includes(pair), `${how}: accepting ${pair} is confirmed`);
  check(Number(await page.locator('#review-pending').innerText()) === pending - 1,
    `${how}: the queue is one shorter`);
  await page.goto(url + '/');
  check(Number(await page.locator('#dashboard-review').innerText()) === pending - 1,
    `${how}: the dashboard counts the shorter queue`);
  await page.goto(url + '/review');
  await Promise.all([page.waitForURL(/done=undo/), page.click('#review-undo')]);
  check(Number(await page.locator('#review-pending').innerText()) === pending,
    `${how}: undo puts ${pair} back in the queue`);
  await Promise.all([page.waitForURL(/skip=1/), page.click('#review-skip')]);
  check(await page.locator('#pair').getAttribute('data-pair') !== pair, `${how}: skip shows the next pair`);
}

async function main() {
  makeVault();
  const person = pickPerson();
  const { child, url } = await startServer();
  const errors = [];
  let ctx, noJs;
  try {
    ctx = await newContext('js', true);
    const page = ctx.pages()[0] ?? await ctx.newPage();
    watchConsole(page, errors);

    await unlock(page, url);
    await page.goto(url + '/users');
    check(await page.locator('table.users tbody tr').count() >= 3, 'the admin sees the accounts');
    await page.screenshot({ path: path.join(work, 'users.png'), fullPage: true });
    await searchAndOpen(page, url, person);
    await reviewDuplicate(page, url, 'with JavaScript');

    // Inquiries: a relative's request and what was learned since.
    await page.goto(url + '/inquiries');
    check(Number(await page.locator('#open-notices').innerText()) >= 1, 'an inquiry has news');
    check(await page.locator('ul.news li').count() >= 1, 'the inquiry lists what is new');

    // A viewer in another browser: no intake in the menu, and the intake page refused.
    const viewerCtx = await newContext('viewer', true);
    const viewer = viewerCtx.pages()[0] ?? await viewerCtx.newPage();
    watchConsole(viewer, errors);
    await viewer.goto(url + '/login?lang=ug');
    await viewer.screenshot({ path: path.join(work, 'uyghur-login.png'), fullPage: true });
    await signIn(viewer, url, 'observer');
    check(await viewer.locator('a[href="/new/person"]').count() === 0, 'a viewer has no intake link');
    check((await viewer.goto(url + '/new/person')).status() === 403, 'a viewer may not record');
    await viewerCtx.close();

    // Intake in Kazakh Cyrillic, with the interface in Kazakh.
    await page.goto(url + '/new/person?lang=kk');
    check(await page.locator('html').getAttribute('lang') === 'kk', 'the Kazakh interface is chosen');
    const name = 'Гүлназ Нұрланқызы';
    await page.fill('#name1', name);
    await page.fill('#name2', 'Gulnaz Nurlanqyzy');
    await page.fill('#birth_date', '1985-13-40');
    await page.selectOption('#gender', 'female');
    await page.fill('#hometown', 'Құлжа');
    await Promise.all([page.waitForLoadState('load'), page.click('form.intake button[type=submit]')]);
    const error = await page.locator('#birth_date-error').innerText();
    check(error.startsWith('Бұл izde оқи алатын күн емес'), 'a bad date is refused beside the field, in Kazakh');
    check(await page.inputValue('#name1') === name, 'the form keeps what was typed');
    await page.fill('#birth_date', 'about 1985');
    await Promise.all([page.waitForURL(/\/person\/person-/), page.click('form.intake button[type=submit]')]);
    check((await page.locator('h1').innerText()).includes(name), 'the new person is saved and shown');
    const newPersonUrl = page.url();

    // A testimony in Kazakh Cyrillic with a video file, then found by a Latin spelling.
    await page.goto(url + '/new/testimony?lang=kk');
    // Typing the name of someone already in the vault offers them (any script).
    await page.locator('#person_name').pressSequentially(person.word, { delay: 30 });
    const offer = page.locator(`#suggestions button.use-person[data-id="${person.id}"]`);
    await offer.waitFor({ timeout: 5000 });
    check(true, `typing "${person.word}" offers ${person.id}, already in the vault`);
    await offer.click();
    check(await page.inputValue('#person') === person.id && await page.inputValue('#person_name') === '',
      '"use this person" links the testimony to them instead of a new person');
    await page.fill('#person', '');
    await page.fill('#witness_name', 'Сәуле Қайратқызы');
    await page.fill('#person_name', 'Ерболат Тұрсынұлы');
    await page.selectOption('#event_kind', 'detained');
    await page.fill('#event_date', 'spring 2018');
    await page.fill('#event_place', 'Құлжа');
    await page.fill('#summary', 'Көрші куә болды.');
    await page.check('input[name=consent_name]');
    await page.setInputFiles('#evidence', { name: 'interview.mp4', mimeType: 'video/mp4',
      buffer: Buffer.alloc(200000, 7) });
    await Promise.all([page.waitForURL(/\/person\/person-/), page.click('#testimony-form button[type=submit]')]);
    check((await page.locator('h1').innerText()).includes('Ерболат Тұрсынұлы'),
      'a testimony with a video is saved and its person shown');
    const testimonyPerson = new URL(page.url()).pathname;
    await page.goto(url + '/search?q=Erbolat');
    check(await page.locator(`ol.hits a[href="${testimonyPerson}"]`).count() === 1,
      'the person of the testimony is found by a Latin spelling');

    // Uyghur: right to left.
    await Promise.all([page.waitForURL(/lang=ug/), page.click('nav.languages a[hreflang=ug]')]);
    check(await page.locator('html').getAttribute('dir') === 'rtl', 'the Uyghur interface is dir=rtl');
    const brand = await page.locator('.brand').boundingBox();
    const h1 = await page.locator('h1').boundingBox();
    check(brand.x > 600, 'in RTL the brand sits on the right');
    check(h1.x + h1.width > 900, 'in RTL the heading is aligned to the right');
    const shot = path.join(work, 'uyghur-person.png');
    await page.screenshot({ path: shot, fullPage: true });
    check(fs.statSync(shot).size > 10000, `screenshot saved to ${shot}`);
    await page.goto(url + '/search?q=' + encodeURIComponent(person.word));
    await page.screenshot({ path: path.join(work, 'uyghur-search.png'), fullPage: true });
    await page.goto(url + '/review');
    check(await page.locator('html').getAttribute('dir') === 'rtl', 'the Uyghur review queue is dir=rtl');
    const rowHead = await page.locator('table.compare tbody th').first().boundingBox();
    const firstCell = await page.locator('table.compare tbody td').first().boundingBox();
    check(rowHead.x > firstCell.x, 'in RTL the field names sit to the right of the values');
    await page.screenshot({ path: path.join(work, 'uyghur-review.png'), fullPage: true });
    await page.goto(url + '/inquiries');
    await page.screenshot({ path: path.join(work, 'uyghur-inquiries.png'), fullPage: true });
    await page.goto(url + '/new/testimony');
    await page.screenshot({ path: path.join(work, 'uyghur-testimony.png'), fullPage: true });
    await page.goto(url + '/search?q=' + encodeURIComponent(person.word) + '&hometown=Ghulja');
    check(await page.locator('details.facets[open]').count() === 1, 'chosen facets stay open');
    await page.screenshot({ path: path.join(work, 'uyghur-facets.png'), fullPage: true });
    await page.goto(url + '/?lang=en');

    // Lock now: nothing is readable any more.
    await Promise.all([page.waitForURL(url + '/unlock'), page.click('#lock-now')]);
    check(await page.locator('#unlock-form').count() === 1, 'Lock now returns to the unlock page');
    for (const target of [newPersonUrl, `${url}/person/${person.id}`,
      `${url}/search?q=${encodeURIComponent(person.word)}`, url + '/']) {
      const res = await page.goto(target);
      const body = await page.content();
      check(res.status() === 403 && !body.includes(name) && !person.names.some((n) => body.includes(n)),
        `after locking ${new URL(target).pathname} shows nothing`);
    }

    // The same search flow without JavaScript.
    noJs = await newContext('nojs', false);
    const plain = noJs.pages()[0] ?? await noJs.newPage();
    watchConsole(plain, errors);
    await unlock(plain, url);
    await searchAndOpen(plain, url, person);
    await reviewDuplicate(plain, url, 'without JavaScript');
    check(errors.length === 0, `no console errors or CSP violations (${errors.join(' | ')})`);
  } finally {
    if (ctx) await ctx.close();
    if (noJs) await noJs.close();
    child.kill('SIGTERM');
  }
}

main().then(() => console.log('browser flows: all passed'), (e) => {
  console.error(e.stack ?? String(e));
  process.exitCode = 1;
});

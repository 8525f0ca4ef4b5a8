// The published site (`izde publish`) in a real browser: Debian's chromium driven by
// playwright-core, the site opened from disk (file://), as from a USB stick. The test
// makes a synthetic vault with canaries where consent or kind keeps them private,
// publishes it, then: searches a name in another script and opens the entry; switches
// to Uyghur (right to left); checks that no canary is in the DOM of any page it visits
// and that pages show no console errors or CSP violations; and that entry pages work
// without JavaScript.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const binDir = process.env.IZDE_BIN_DIR;
if (!binDir) throw new Error('IZDE_BIN_DIR must name the build directory that holds izde');
const izde = path.join(binDir, 'izde');
const work = path.join(binDir, 'publish-browser-test');
const vaultDir = path.join(work, 'vault');
const site = path.join(work, 'site');
const passFile = path.join(work, 'passphrase');
const chromiumFlags = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// Private values: an unconsented person's name forms, a witness, testimony details.
const canaries = ['Канарейка Жасырынқызы', 'كانارىيە جاسىرىن', '金丝雀买买提', 'Canaryhidden Surnamebek',
  'Witness Canaryname', '+7 700 555 0199', 'Canary Street 5', 'Interviewer Canarova',
  'canary unconsented transcript', 'canary private notes'];

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

function makeSite() {
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  fs.writeFileSync(passFile, 'synthetic passphrase for the published-site test\n', { mode: 0o600 });
  runIzde(['init', '--kdf-cost', 'test-only-minimum']);
  runIzde(['--quiet', 'demo', '--people', '200']);
  const records = [
    { type: 'person', id: 'CANARY-P1', names: [{ text: canaries[0] }, { text: canaries[1] },
      { text: canaries[2] }, { text: canaries[3] }], gender: 'male', notes: canaries[9] },
    { type: 'witness', id: 'CANARY-W1', name: canaries[4], contact: canaries[5] },
    { type: 'testimony', id: 'CANARY-T1', witness: 'CANARY-W1', people: ['CANARY-P1'],
      place: canaries[6], interviewer: canaries[7], transcript: canaries[8],
      consent: { name: false, face_voice: true, testimony_text: false, id_number: false } },
    { type: 'event', id: 'CANARY-E1', person: 'CANARY-P1', kind: 'detained', date: '2018' },
  ];
  fs.writeFileSync(path.join(work, 'canaries.json'), JSON.stringify({ records }));
  runIzde(['--quiet', 'import', path.join(work, 'canaries.json')]);
  runIzde(['--quiet', 'publish', '--out', site]);
}

// A published person with a Latin name form and a form in another script, and a token of
// that other form to search for: the entry page is titled by the first form.
function pickPerson() {
  const people = JSON.parse(fs.readFileSync(path.join(site, 'data/people.json'), 'utf8')).people;
  for (const p of people) {
    const names = (p.fields.names ?? []).map((n) => n.text);
    const latin = names.find((n) => /^[A-Za-z\s'-]+$/.test(n));
    const other = names.find((n) => /[\u0400-\u04FF\u0600-\u06FF\u4E00-\u9FFF]/.test(n));
    if (latin && other) {
      const token = latin.split(/\s+/)[0];
      return { id: p.id, names, token, other };
    }
  }
  throw new Error('no published person has name forms in two scripts');
}

function canaryFree(html, where) {
  const hits = canaries.filter((c) => html.includes(c));
  check(hits.length === 0, `no private value in the DOM of ${where}${hits.length ? ': ' + hits : ''}`);
}

async function main() {
  makeSite();
  const person = pickPerson();
  const dataDir = path.join(work, 'profile');
  const errors = [];
  const ctx = await chromium.launchPersistentContext(dataDir, {
    executablePath: '/usr/bin/chromium', headless: true, args: chromiumFlags,
    locale: 'en-US', viewport: { width: 1200, height: 900 },
  });
  try {
    const page = ctx.pages()[0] ?? await ctx.newPage();
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(String(e)));
    const requests = [];
    page.on('request', (r) => requests.push(r.url()));

    // Search in a different script from the one the search box would suggest.
    const searchUrl = pathToFileURL(path.join(site, 'en/search.html')).href;
    await page.goto(searchUrl);
    await page.fill('#search-input', person.other);
    await page.press('#search-input', 'Enter');
    await page.waitForSelector('#search-results[data-ms]');
    const ms = Number(await page.locator('#search-results').getAttribute('data-ms'));
    const link = page.locator(`#search-results a[data-id="${person.id}"]`);
    check(await link.count() === 1, `searching "${person.other}" finds ${person.id} (${ms.toFixed(1)} ms)`);
    canaryFree(await page.content(), 'the search results');

    // A word in Cyrillic, Arabic script or Chinese characters also finds people whose
    // names have no form containing it (their names are written in other scripts).
    const published = JSON.parse(fs.readFileSync(path.join(site, 'data/people.json'), 'utf8')).people;
    const byId = new Map(published.map((p) => [p.id, (p.fields.names ?? []).map((n) => n.text).join(' ')]));
    const words = [...new Set(published.flatMap((p) => (p.fields.names ?? []).map((n) => n.text))
      .filter((n) => /[\u0400-\u04FF\u0600-\u06FF\u4E00-\u9FFF]/.test(n))
      .map((n) => n.split(/[\s·]+/)[0]))].slice(0, 25);
    let across = null;
    for (const word of words) {
      await page.goto(searchUrl + '?q=' + encodeURIComponent(word));
      await page.waitForSelector('#search-results[data-ms]');
      const ids = await page.locator('#search-results a[data-id]').evaluateAll(
        (as) => as.map((a) => a.dataset.id));
      const others = ids.filter((id) => !byId.get(id).includes(word));
      if (others.length) {
        across = `"${word}" finds ${others[0]} (${byId.get(others[0])})`;
        break;
      }
    }
    check(across !== null, `a word in one script finds people named only in others: ${across}`);
    await page.goto(searchUrl + '?q=' + encodeURIComponent(person.other));
    await page.waitForSelector('#search-results[data-ms]');
    await Promise.all([page.waitForURL(/\/p\/[^/]+\.html#en$/), link.click()]);
    check(await page.locator('.lang-section:visible').count() === 1 &&
      await page.locator('#en').isVisible(), 'the entry opens in English, its other languages hidden');
    const shown = await page.locator('#en .names').innerText();
    for (const n of person.names) check(shown.includes(n), `the entry shows the name form ${n}`);
    check(await page.locator('#en .verify code').first().innerText() === person.id,
      'the entry shows its record id under "Verify this entry"');
    canaryFree(await page.content(), 'the entry page');

    // A Latin spelling finds the same person too.
    await page.goto(searchUrl + '?q=' + encodeURIComponent(person.token));
    await page.waitForSelector('#search-results[data-ms]');
    check(await page.locator(`#search-results a[data-id="${person.id}"]`).count() === 1,
      `searching "${person.token}" finds ${person.id}`);

    // Uyghur, right to left: the same file, its Uyghur section (no JavaScript needed).
    await page.goto(pathToFileURL(path.join(site, `p/${person.id}.html`)).href);
    check(await page.locator('#en').isVisible(), 'an entry without a language shows English');
    await Promise.all([page.waitForURL(/#ug$/), page.click('#en nav.languages a[hreflang=ug]')]);
    check(await page.locator('#ug').isVisible() && !(await page.locator('#en').isVisible()),
      'the language switch shows the Uyghur section only');
    check(await page.locator('#ug').getAttribute('dir') === 'rtl', 'the Uyghur section is dir=rtl');
    const h1 = await page.locator('#ug h1').boundingBox();
    check(h1.x + h1.width > 900, 'in RTL the heading is aligned to the right');
    await page.screenshot({ path: path.join(work, 'uyghur-entry.png'), fullPage: true });
    canaryFree(await page.content(), 'the Uyghur entry page');

    // The canary person is published (face_voice consent) but without a name.
    await page.goto(pathToFileURL(path.join(site, 'p/CANARY-P1.html')).href + '#en');
    check(await page.locator('#en .entry-name').innerText() === 'CANARY-P1',
      'a person without name consent is shown by id only');
    canaryFree(await page.content(), 'the unnamed person\'s page');
    for (const p of ['en/index.html', 'en/people/1.html', 'ug/statistics.html', 'en/verify.html']) {
      await page.goto(pathToFileURL(path.join(site, p)).href);
      canaryFree(await page.content(), p);
    }
    await page.goto(searchUrl + '?q=' + encodeURIComponent('Канарейка'));
    await page.waitForSelector('#search-results[data-ms]');
    check(await page.locator('#search-results a').count() === 0, 'an unconsented name finds nothing');

    check(requests.every((u) => u.startsWith('file://')), 'the site made no network request');
    check(errors.length === 0, `no console errors or CSP violations (${errors.join(' | ')})`);
  } finally {
    await ctx.close();
  }

  // Entry pages and lists without JavaScript.
  const noJs = await chromium.launchPersistentContext(path.join(work, 'profile-nojs'), {
    executablePath: '/usr/bin/chromium', headless: true, args: chromiumFlags,
    javaScriptEnabled: false,
  });
  try {
    const page = noJs.pages()[0] ?? await noJs.newPage();
    await page.goto(pathToFileURL(path.join(site, 'en/people/1.html')).href);
    const first = page.locator('table.people a').first();
    await Promise.all([page.waitForURL(/\/p\/[^/]+\.html#en$/), first.click()]);
    check(await page.locator('#en section.timeline').isVisible(), 'without JavaScript the list opens an entry');
    await Promise.all([page.waitForURL(/#kk$/), page.click('#en nav.languages a[hreflang=kk]')]);
    check(await page.locator('#kk section.timeline').isVisible() && !(await page.locator('#en').isVisible()),
      'without JavaScript the entry switches language');
  } finally {
    await noJs.close();
  }
}

main().then(() => console.log('published site: all passed'), (e) => {
  console.error(e.stack ?? String(e));
  process.exit(1);
});

// The published site's offline search in headless chromium (Debian's, via
// playwright-core), opened from disk. For Q name tokens taken from the published data
// in every script, each query runs on a freshly loaded search page (no shard cached):
// the time from submitting to the results shown (search.js's own measure, data-ms),
// the bytes of index files the query loaded (as on disk, and gzipped as a web server
// would send them), and the whole index's size on disk.
// Baseline in the same run: the same page answering an empty query (page load + script).
//   node bench/publish/search_bench.mjs SITE_DIR [queries]
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const site = process.argv[2];
const count = Number(process.argv[3] ?? 60);
if (!site) throw new Error('usage: search_bench.mjs SITE_DIR [queries]');

const gzipped = new Map();  // file -> gzip size (level 6, as a web server sends it)
function gzipBytes(file) {
  if (!gzipped.has(file)) gzipped.set(file, zlib.gzipSync(fs.readFileSync(file)).length);
  return gzipped.get(file);
}
function dirBytes(dir, size = (f) => fs.statSync(f).size) {
  let n = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true }))
    n += e.isDirectory() ? dirBytes(path.join(dir, e.name), size) : size(path.join(dir, e.name));
  return n;
}
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const pct = (v, p) => [...v].sort((a, b) => a - b)[Math.min(v.length - 1, Math.floor(v.length * p))];

const people = JSON.parse(fs.readFileSync(path.join(site, 'data/people.json'), 'utf8')).people;
const queries = [];
for (let i = 0; queries.length < count && i < people.length; i += Math.max(1, Math.floor(people.length / (count * 2)))) {
  const names = (people[i].fields.names ?? []).map((n) => n.text);
  if (names.length) queries.push(names[queries.length % names.length].split(/[\s·]+/)[0]);
}

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu'] });
const url = pathToFileURL(path.join(site, 'en/search.html')).href;
const times = [], bytes = [], gzBytes = [], counts = [], pageLoads = [], files = [];
for (const q of queries) {
  const page = await browser.newPage();
  const loaded = [];
  page.on('requestfinished', (r) => { if (r.url().includes('/search/')) loaded.push(r.url()); });
  const t0 = Date.now();
  await page.goto(url);
  pageLoads.push(Date.now() - t0);
  await page.fill('#search-input', q);
  await page.press('#search-input', 'Enter');
  await page.waitForSelector('#search-results[data-ms]');
  times.push(Number(await page.locator('#search-results').getAttribute('data-ms')));
  counts.push(Number(await page.locator('#search-results').getAttribute('data-count')));
  bytes.push(loaded.reduce((n, u) => n + fs.statSync(fileURLToPath(u)).size, 0));
  gzBytes.push(loaded.reduce((n, u) => n + gzipBytes(fileURLToPath(u)), 0));
  files.push(loaded.length);
  await page.close();
}
await browser.close();
console.log(`queries ${queries.length} (e.g. ${queries.slice(0, 6).join(', ')})`);
console.log(`search: median ${median(times).toFixed(1)} ms, p95 ${pct(times, 0.95).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms`);
console.log(`baseline, loading the search page: median ${median(pageLoads)} ms`);
console.log(`index files loaded per query: median ${(median(bytes) / 1024).toFixed(0)} KiB, max ${(Math.max(...bytes) / 1024).toFixed(0)} KiB`);
console.log(`index transfer per query, gzip: median ${(median(gzBytes) / 1024).toFixed(0)} KiB, max ${(Math.max(...gzBytes) / 1024).toFixed(0)} KiB`);
console.log(`hits per query: median ${median(counts)}; index files per query: median ${median(files)}, max ${Math.max(...files)}`);
const slowest = queries.map((q, i) => i).sort((a, b) => times[b] - times[a]).slice(0, 5);
console.log(`slowest: ${slowest.map((i) => `${queries[i]} ${times[i].toFixed(0)} ms (${files[i]} files, ${(bytes[i] / 1024).toFixed(0)} KiB, ${counts[i]} hits)`).join('; ')}`);
console.log(`whole index on disk: ${(dirBytes(path.join(site, 'search')) / 1e6).toFixed(1)} MB, gzip ${(dirBytes(path.join(site, 'search'), gzipBytes) / 1e6).toFixed(1)} MB`);

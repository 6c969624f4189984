// Builds Kith's front end into build/static/ (served by Django at /static/).
//
//   npm ci && npm run build
//
// Writes (and first deletes) build/static/kith/ and build/static/vendor/:
//   kith/kith.css             frontend/scss/kith.scss compiled (GOV.UK + MoJ Frontend + Kith)
//   kith/kith.js              frontend/js/kith.mjs (an ES module)
//   vendor/govuk/             govuk-frontend.min.js (+ .map), assets/images/, assets/manifest.json
//   vendor/moj/               moj-frontend.min.js (+ .map), assets/
//   vendor/htmx/htmx.min.js
//
// Then checks the result: no GDS Transport font, every url() in kith.css and
// every import in kith.js points at a file that was written. Any problem
// fails the build (exit code 1).

import { readFileSync, writeFileSync, mkdirSync, rmSync, cpSync, existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, posix } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const NODE_MODULES = join(ROOT, "node_modules");
const OUT = join(ROOT, "build", "static");
const STATIC_URL = "/static/";

const GOVUK = join(NODE_MODULES, "govuk-frontend", "dist", "govuk");
const MOJ = join(NODE_MODULES, "@ministryofjustice", "frontend", "moj");
const HTMX = join(NODE_MODULES, "htmx.org", "dist");

function fail(message) {
  console.error(`\nbuild failed: ${message}`);
  process.exit(1);
}

function rel(path) {
  return relative(ROOT, path).split("\\").join("/");
}

// node_modules must hold exactly the versions package.json pins (catches a
// stale node_modules after someone upgrades: run `npm ci`).
function checkInstalledVersions() {
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
  const wanted = { ...pkg.dependencies, ...pkg.devDependencies };
  for (const [name, version] of Object.entries(wanted)) {
    const file = join(NODE_MODULES, name, "package.json");
    if (!existsSync(file)) fail(`${name} is not installed. Run: npm ci`);
    const installed = JSON.parse(readFileSync(file, "utf8")).version;
    if (installed !== version) {
      fail(`${name} ${installed} is installed but package.json pins ${version}. Run: npm ci`);
    }
  }
  return wanted;
}

function copy(from, to, options = {}) {
  if (!existsSync(from)) fail(`missing ${rel(from)} (has the package layout changed?)`);
  cpSync(from, to, { recursive: true, ...options });
}

function copyVendor() {
  const govuk = join(OUT, "vendor", "govuk");
  copy(join(GOVUK, "govuk-frontend.min.js"), join(govuk, "govuk-frontend.min.js"));
  copy(join(GOVUK, "govuk-frontend.min.js.map"), join(govuk, "govuk-frontend.min.js.map"));
  // Images and the web manifest only: Kith must not serve the GDS Transport
  // fonts (assets/fonts/), which are licensed for GOV.UK only.
  copy(join(GOVUK, "assets", "images"), join(govuk, "assets", "images"));
  copy(join(GOVUK, "assets", "manifest.json"), join(govuk, "assets", "manifest.json"));

  const moj = join(OUT, "vendor", "moj");
  copy(join(MOJ, "moj-frontend.min.js"), join(moj, "moj-frontend.min.js"));
  copy(join(MOJ, "moj-frontend.min.js.map"), join(moj, "moj-frontend.min.js.map"));
  copy(join(MOJ, "assets"), join(moj, "assets"), {
    filter: (source) => !source.split(/[\\/]/).includes("fonts"),
  });

  copy(join(HTMX, "htmx.min.js"), join(OUT, "vendor", "htmx", "htmx.min.js"));
}

// Sass: --quiet-deps silences deprecation warnings from node_modules. MoJ
// Frontend also calls GOV.UK Frontend mixins that @warn they are deprecated;
// those are MoJ's to fix, so they are counted, not printed. Warnings caused
// by Kith's own Sass are always printed.
async function compileCss() {
  // Imported here, after checkInstalledVersions(), so a missing sass gets that message.
  const sass = await import("sass");
  let silenced = 0;
  const fromDependency = (stack = "") => {
    const frames = stack.trim().split("\n");
    const firstOwn = frames.findIndex((frame) => !frame.includes("node_modules/"));
    // A dependency's code, reached by loading it (@use/@forward), not by
    // Kith calling one of its mixins or functions.
    return firstOwn > 0 && /@(use|forward)\s*$/.test(frames[firstOwn - 1]);
  };
  const logger = {
    warn(message, { deprecation, span, stack }) {
      const inDependency = span && span.url && span.url.pathname.includes("/node_modules/");
      if ((deprecation && inDependency) || fromDependency(stack)) {
        silenced += 1;
        return;
      }
      const where = span && span.url ? ` (${rel(fileURLToPath(span.url))}:${span.start.line + 1})` : "";
      console.warn(`Sass warning${where}: ${message}${stack ? `\n${stack}` : ""}`);
    },
    debug(message) {
      console.warn(`Sass debug: ${message}`);
    },
  };
  let result;
  try {
    result = sass.compile(join(ROOT, "frontend", "scss", "kith.scss"), {
      loadPaths: [ROOT],
      style: "compressed",
      sourceMap: false,
      quietDeps: true,
      logger,
    });
  } catch (error) {
    fail(error.message);
  }
  const file = join(OUT, "kith", "kith.css");
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${result.css}\n`);
  if (silenced) console.log(`(silenced ${silenced} Sass warning(s) from dependencies)`);
  return result.css;
}

function copyJs() {
  const file = join(OUT, "kith", "kith.js");
  copy(join(ROOT, "frontend", "js", "kith.mjs"), file);
  return readFileSync(file, "utf8");
}

// "/static/a/b.svg" -> build/static/a/b.svg
function staticFile(url) {
  const path = url.split(/[?#]/)[0];
  if (!path.startsWith(STATIC_URL)) return null;
  return join(OUT, ...path.slice(STATIC_URL.length).split("/"));
}

function checkCss(css) {
  if (/GDS Transport/i.test(css)) fail("kith.css mentions the GDS Transport font");
  if (/@font-face/i.test(css)) fail("kith.css has an @font-face rule (Kith uses system fonts only)");
  const urls = [...css.matchAll(/url\(\s*["']?([^"')]+)["']?\s*\)/g)].map((m) => m[1]);
  for (const url of new Set(urls)) {
    if (url.startsWith("data:") || url.startsWith("#")) continue;
    const file = staticFile(url);
    if (!file) fail(`kith.css has url(${url}), which is not under ${STATIC_URL}`);
    if (!existsSync(file)) fail(`kith.css has url(${url}) but ${rel(file)} was not written`);
  }
  return urls.length;
}

function checkJs(js) {
  const from = join(OUT, "kith");
  const specifiers = [...js.matchAll(/^\s*import\s[^"']*["']([^"']+)["']/gm)].map((m) => m[1]);
  for (const specifier of specifiers) {
    if (!specifier.startsWith(".")) fail(`kith.js imports "${specifier}": use a relative URL`);
    const file = join(from, ...posix.normalize(specifier).split("/"));
    if (!existsSync(file)) fail(`kith.js imports "${specifier}" but ${rel(file)} was not written`);
  }
}

function listFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? listFiles(path) : [path];
  });
}

function formatSize(bytes) {
  return bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} kB` : `${bytes} B`;
}

const started = Date.now();
const versions = checkInstalledVersions();
for (const dir of ["kith", "vendor"]) rmSync(join(OUT, dir), { recursive: true, force: true });

copyVendor();
const css = await compileCss();
const js = copyJs();
const urlCount = checkCss(css);
checkJs(js);

const files = ["kith", "vendor"].flatMap((dir) => listFiles(join(OUT, dir))).sort();
console.log(`Wrote ${files.length} files to ${rel(OUT)}/:`);
for (const file of files) {
  console.log(`  ${rel(file).padEnd(76)} ${formatSize(statSync(file).size).padStart(9)}`);
}
console.log(
  `Checked: kith.css has no GDS Transport/@font-face, its ${urlCount} url()s resolve under ${STATIC_URL}; kith.js imports resolve.`,
);
console.log(
  `Versions: ${Object.entries(versions).map(([name, version]) => `${name} ${version}`).join(", ")}.`,
);
console.log(`Done in ${((Date.now() - started) / 1000).toFixed(1)}s.`);

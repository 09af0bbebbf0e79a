// Copies the GOV.UK Frontend files the site serves into static/govuk/, and axe-core into the
// browser tests. The GDS Transport fonts are left out on purpose: this is not a GOV.UK service.
import { copyFileSync, cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const modules = join(root, "node_modules");
const dist = join(modules, "govuk-frontend", "dist", "govuk");
const out = join(root, "static", "govuk");

const version = (pkg) => JSON.parse(readFileSync(join(modules, pkg, "package.json"), "utf8")).version;

mkdirSync(out, { recursive: true });
copyFileSync(join(dist, "govuk-frontend.min.js"), join(out, "govuk-frontend.min.js"));
// The npm package no longer ships its LICENSE.txt; the MIT text is kept beside this script.
copyFileSync(join(root, "assets", "LICENSE-govuk-frontend.txt"), join(out, "LICENSE-govuk-frontend.txt"));

rmSync(join(out, "assets"), { recursive: true, force: true });
mkdirSync(join(out, "assets"), { recursive: true });
cpSync(join(dist, "assets", "images"), join(out, "assets", "images"), { recursive: true });
copyFileSync(join(dist, "assets", "manifest.json"), join(out, "assets", "manifest.json"));

writeFileSync(join(out, "VERSION.md"), `# GOV.UK Frontend ${version("govuk-frontend")}

Built from the npm package \`govuk-frontend@${version("govuk-frontend")}\` (MIT licence: see
\`LICENSE-govuk-frontend.txt\`) with \`npm ci && npm run build\`; do not edit these files by hand.

- \`application.css\`: \`assets/scss/application.scss\` compiled by Dart Sass ${version("sass")},
  with a system font stack instead of GDS Transport (no font files are shipped).
- \`govuk-frontend.min.js\`: the package's ES module bundle, started by \`static/app/init.js\`.
- \`assets/\`: the package's images and manifest. They are GOV.UK brand assets (crown,
  crest): the CSS refers to the crest, so the file must exist for collectstatic, but
  templates must not link the favicon, icons or manifest, as this is not a GOV.UK service.
`);

const axeOut = join(root, "tests", "browser");
mkdirSync(axeOut, { recursive: true });
copyFileSync(join(modules, "axe-core", "axe.min.js"), join(axeOut, "axe.min.js"));
writeFileSync(join(axeOut, "AXE_VERSION.txt"),
  `axe-core ${version("axe-core")} (MPL-2.0), copied from node_modules by \`npm run build\`.\n`);

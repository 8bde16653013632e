#!/usr/bin/env node
// Draws the app's PNG icons (public/icons/*.png) from our own SVGs with the
// browser the tests use. Run by hand after changing an SVG; the PNGs are committed.
import fs from "node:fs";
import path from "node:path";
import { chromium } from "@playwright/test";
import { root } from "./lib.mjs";

const dir = path.join(root, "public", "icons");
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
try {
  for (const [svg, png, size] of [
    ["icon.svg", "icon-192.png", 192],
    ["icon.svg", "icon-512.png", 512],
    ["maskable.svg", "maskable-512.png", 512],
  ]) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    const markup = fs.readFileSync(path.join(dir, svg), "utf8");
    await page.setContent(`<style>html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}</style>${markup}`);
    await page.screenshot({ path: path.join(dir, png), omitBackground: true });
    await page.close();
    console.log(`draw-icons: public/icons/${png} (${size} px)`);
  }
} finally {
  await browser.close();
}

import { chromium } from "/work/main/node_modules/playwright-core/index.mjs";
const [,, file, widthArg] = process.argv;
const width = Number(widthArg ?? 390);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--allow-file-access-from-files"] });
const page = await browser.newPage({ viewport: { width, height: 1100 } });
const fs = await import("node:fs"); fs.writeFileSync("/tmp/crop.html", `<html><body style="margin:0"><img src="file://${file}" style="display:block"></body></html>`); await page.goto("file:///tmp/crop.html");
await page.waitForTimeout(300);
const h = await page.evaluate(() => document.images[0].naturalHeight);
let i = 0;
for (let y = 0; y < h; y += 1100, i++) {
  await page.evaluate((y) => window.scrollTo(0, y), y);
  await page.screenshot({ path: file.replace(".png", `-part${i}.png`) });
}
console.log(h, i);
await browser.close();

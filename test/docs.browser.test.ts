/** /docs must render in a real browser with no network beyond loopback. */
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GatewayTarget, overHttpTarget } from "./support/target.ts";

const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((path) =>
  existsSync(path),
);

if (!CHROMIUM && process.env.CI) {
  throw new Error("Chromium is required in CI for the docs test: apt-get install chromium");
}

describe.skipIf(!CHROMIUM)(
  "docs page in headless Chromium (skipped without `apt-get install chromium`)",
  () => {
    let target: GatewayTarget;
    let browser: Browser;
    const outsideRequests: string[] = [];

    beforeAll(async () => {
      target = await overHttpTarget();
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--no-first-run",
        ],
      });
    }, 60_000);
    afterAll(async () => {
      await browser?.close();
      await target?.close();
    });

    it("renders every operation from /openapi.json without leaving loopback", async () => {
      const page = await browser.newPage();
      const base = target.baseUrl;
      // Anything not on loopback is refused and recorded: the page must not need it.
      await page.route("**/*", (route) => {
        const url = new URL(route.request().url());
        if (url.hostname === "127.0.0.1" || url.protocol === "data:") return route.continue();
        outsideRequests.push(url.href);
        return route.abort();
      });
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(error.message));
      await page.goto(`${base}/docs`);
      await page.waitForSelector(".opblock-summary-path", { timeout: 20_000 });
      const paths = await page.$$eval(".opblock-summary-path", (nodes) =>
        nodes.map((node) => node.textContent?.replace(/\u200b/g, "")),
      );
      expect(paths).toContain("/v1/identity/lookup");
      expect(paths).toContain("/oauth/token");
      expect(await page.textContent(".title")).toContain("Simpul");
      await page.screenshot({ path: "test/.artifacts/docs.png" }).catch(() => undefined);
      expect(errors, "the page must run without script errors").toEqual([]);
      expect(outsideRequests, "the page must not reach beyond loopback").toEqual([]);
    });
  },
);

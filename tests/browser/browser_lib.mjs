// What every browser test shares: how headless Chromium is started and how
// axe-core is run on a page.

// Chromium's flags for a test: headless, no sandbox (root in CI), nothing
// fetched in the background that could slow a page or reach the network.
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const WCAG_A_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

// axe-core's violations of `tags` on the page as it is, one line each with
// where (at most three places); `axeSource` is axe.min.js's text.
export async function axeViolations(page, axeSource, tags = WCAG_A_AA) {
  return page.evaluate(
    async ({ source, runOnly }) => {
      if (!window.axe) (0, eval)(source);
      const result = await window.axe.run(document, { runOnly });
      return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
    },
    { source: axeSource, runOnly: tags },
  );
}

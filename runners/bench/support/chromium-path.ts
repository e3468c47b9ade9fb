/** Debian's Chromium, driven by playwright-core: no browser is downloaded. Kept apart so that checking for it loads no browser code. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

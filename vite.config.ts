import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";

/** The two Marianne weights every page shows first: preloaded, so the text does not reflow. */
const preloadedFonts = /\/Marianne-(Regular|Bold)-[\w-]+\.woff2$/;

function preloadFonts(): Plugin {
  return {
    name: "passerelle-preload-fonts",
    transformIndexHtml: {
      order: "post",
      handler(_html, context) {
        const fonts = Object.keys(context.bundle ?? {}).filter((file) => preloadedFonts.test(`/${file}`));
        return fonts.map((file) => ({
          tag: "link",
          attrs: { rel: "preload", href: `/${file}`, as: "font", type: "font/woff2", crossorigin: "" },
          injectTo: "head",
        }));
      },
    },
  };
}

export default defineConfig({
  root: "src/web",
  publicDir: "public",
  plugins: [react(), preloadFonts()],
  build: {
    outDir: "../../dist/web",
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 800,
    // Fonts and images keep their own hashed file (cached once), never inlined into the CSS.
    assetsInlineLimit: 0,
  },
  server: { port: 5173, proxy: { "/api": "http://localhost:3000" } },
});

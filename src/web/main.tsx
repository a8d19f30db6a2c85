import "@codegouvfr/react-dsfr/dsfr/dsfr.min.css";
import "./app.css";
import { startReactDsfr } from "@codegouvfr/react-dsfr/spa";
import { QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { BrowserRouter, Link } from "react-router";
import { App } from "./App";
import { refetchFailedReads } from "./components/ErrorAlert";
import { reportReadError } from "./components/forbidden";

startReactDsfr({ defaultColorScheme: "system", Link });

declare module "@codegouvfr/react-dsfr/spa" {
  interface RegisterLink {
    Link: typeof Link;
  }
}

const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError: reportReadError }),
  defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false } },
});

// Reads are not retried by themselves: those that failed (database or network down) are read again
// when the agent comes back to the window or the network comes back.
for (const event of ["focus", "online"])
  window.addEventListener(event, () => void refetchFailedReads(queryClient));

const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <App />
        </BrowserRouter>
      </QueryClientProvider>
    </StrictMode>,
  );
}

import { useEffect, useState } from "react";
import { useLocation, useNavigate } from "react-router";

function pick(search: URLSearchParams, keys: readonly string[]): URLSearchParams {
  const taken = new URLSearchParams();
  for (const key of keys) {
    const value = search.get(key);
    if (value !== null) taken.set(key, value);
  }
  return taken;
}

/**
 * The parameters a redirection put in the address to say what it did ("?visite=enregistree"), read
 * once: they are kept for the page while it stays open and taken out of the address at once, in
 * the same history entry, so a reload, the back button or a copied link does not say it again.
 * `keys` must be a constant (a module-level array).
 */
export function useOneTimeParams(keys: readonly string[]): URLSearchParams {
  const location = useLocation();
  const navigate = useNavigate();
  const [taken, setTaken] = useState(() => pick(new URLSearchParams(location.search), keys));
  useEffect(() => {
    const search = new URLSearchParams(location.search);
    if (!keys.some((key) => search.has(key))) return;
    setTaken(pick(search, keys));
    for (const key of keys) search.delete(key);
    const rest = search.toString();
    navigate(
      { pathname: location.pathname, search: rest ? `?${rest}` : "", hash: location.hash },
      { replace: true, state: location.state },
    );
  }, [location, navigate, keys]);
  return taken;
}

// Cathay console: the only script besides htmx. It follows the order's live event stream (relayed
// by the console with the session's key) and asks htmx to refresh the order panel on each event,
// and clears an action's form once the API accepted it.
(() => {
  function follow() {
    const el = document.getElementById('live-state');
    if (!el || !window.EventSource) return;
    const url = el.getAttribute('data-events');
    if (!url) return;
    const source = new EventSource(url);
    const changed = () => {
      if (window.htmx) window.htmx.trigger(document.body, 'order-changed');
    };
    source.onopen = () => {
      el.textContent = 'Live updates: connected';
    };
    source.onerror = () => {
      el.textContent = source.readyState === EventSource.CLOSED ? 'Live updates: stopped' : 'Live updates: reconnecting…';
    };
    source.onmessage = changed;
    source.addEventListener('status', changed);
    source.addEventListener('tracking', changed);
    window.addEventListener('pagehide', () => source.close());
  }
  // An accepted action's form starts blank again (its fields are kept across panel refreshes, so
  // a refund's amount would otherwise stay for a second click); a refused one keeps its input.
  document.addEventListener('action-accepted', (event) => {
    const form = event.target instanceof Element ? event.target.closest('form') : null;
    if (form) form.reset();
  });
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', follow);
  else follow();
})();

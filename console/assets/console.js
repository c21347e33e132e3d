// Cathay console: the only script besides htmx. It follows the order's live event stream (relayed
// by the console with the session's key) and asks htmx to refresh the order panel on each event.
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
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', follow);
  else follow();
})();

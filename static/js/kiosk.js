// Kiosk: back to the start after a minute without a touch; on the payment screen, ask every two seconds whether
// the payment confirmed and show the thank-you (the page also refreshes itself without JavaScript).
document.addEventListener("DOMContentLoaded", () => {
  const body = document.body;
  const idle = Number(body.dataset.idle || 60) * 1000;
  const start = body.dataset.startUrl;
  let timer;
  const rearm = () => {
    clearTimeout(timer);
    if (start && window.location.pathname !== start) timer = setTimeout(() => { window.location.assign(start); }, idle);
  };
  ["pointerdown", "keydown", "touchstart"].forEach((name) => document.addEventListener(name, rearm, {passive: true}));
  rearm();

  const pay = document.querySelector("[data-status-url]");
  if (pay) {
    const poll = () => fetch(pay.dataset.statusUrl, {cache: "no-store"}).then((r) => r.json()).then((data) => {
      if (data.status === "paid") window.location.reload();
      else setTimeout(poll, 2000);
    }).catch(() => setTimeout(poll, 4000));
    setTimeout(poll, 2000);
  }

  const full = document.querySelector("[data-fullscreen]");
  if (full && document.documentElement.requestFullscreen) {
    full.hidden = false;
    full.addEventListener("click", () => { document.documentElement.requestFullscreen().catch(() => {}); });
  }
});

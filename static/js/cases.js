// Case page: the native share sheet where the browser has one (phones); the links work without this file.
document.addEventListener("DOMContentLoaded", () => {
  const copy = document.querySelector("[data-testid='share-copy']");
  if (copy && navigator.share) {
    const native = document.createElement("button");
    native.type = "button";
    native.className = "button button--small";
    native.textContent = copy.dataset.shareLabel || "⇪";
    native.addEventListener("click", () => {
      navigator.share({ title: document.title, url: copy.dataset.copy }).catch(() => {});
    });
    copy.after(native);
  }
  // Catalog: changing the sort applies it at once (the button remains for keyboards and no-JS).
  const sort = document.querySelector("[data-testid='catalog-filters'] #sort");
  if (sort) {
    sort.addEventListener("change", () => sort.form.requestSubmit());
  }
});

// Progressive enhancement for the donate forms: picking a preset fills the amount box, typing clears the preset.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".donate-form").forEach((form) => {
    const amount = form.querySelector("input[name=amount]");
    const presets = form.querySelectorAll("input[name=preset]");
    if (!amount) return;
    presets.forEach((preset) => {
      preset.addEventListener("change", () => { amount.value = preset.value; });
    });
    amount.addEventListener("input", () => {
      presets.forEach((preset) => { preset.checked = preset.value === amount.value.trim(); });
    });
  });

  // One step to the checkout from the cached case page and the home page: their forms carry no CSRF token (the pages
  // are shared between visitors), so fetch one, then post the same form straight to the checkout. Without this
  // script, or when the token cannot be had, the form opens the full donate page instead.
  document.querySelectorAll("form[data-one-step]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (form.dataset.posting) return;
      event.preventDefault();
      fetch(form.dataset.oneStep, {credentials: "same-origin", cache: "no-store"})
        .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
        .then((data) => {
          [["csrf_token", data.token], ["action", "pay"]].forEach(([name, value]) => {
            const input = document.createElement("input");
            input.type = "hidden";
            input.name = name;
            input.value = value;
            form.append(input);
          });
          form.method = "post";
        })
        .catch(() => {})
        .finally(() => {
          form.dataset.posting = "1";
          form.submit();
        });
    });
  });
});

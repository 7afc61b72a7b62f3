// Progressive enhancement for the donate forms: picking a preset fills the amount box, typing clears the preset.
// (Giving needs no script: the case page and the home page post straight to the one-step checkout.)
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
});

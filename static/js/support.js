// Show the grievance fields only when "grievance" is chosen. Without this script they are always visible.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.querySelector("[data-grievance-fields]");
  const kinds = document.querySelectorAll('input[name="kind"]');
  if (!box || !kinds.length) return;
  const update = () => {
    const chosen = document.querySelector('input[name="kind"]:checked');
    box.hidden = !(chosen && chosen.value === "grievance");
  };
  kinds.forEach((input) => input.addEventListener("change", update));
  update();
});

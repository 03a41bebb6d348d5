// CaseConsultant: "Put the draft in the answer box" fills the box in place, keeping what the
// consultant already wrote (without JavaScript the link's ?draft=1 reloads the page with it).
document.addEventListener("click", (event) => {
  const link = event.target.closest("#use-draft");
  const box = document.querySelector("#work textarea[name=body]");
  const draft = document.getElementById("draft-text");
  if (!link || !box || !draft) return;
  event.preventDefault();
  box.value = box.value.trim() ? `${box.value.trimEnd()}\n\n${draft.value}` : draft.value;
  box.focus();
  box.setSelectionRange(0, 0);
  box.scrollTop = 0;
});

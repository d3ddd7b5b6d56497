// The main navigation's menus: one open at a time; Escape or a click elsewhere closes it.
document.addEventListener("DOMContentLoaded", () => {
  const groups = [...document.querySelectorAll("nav.main details.nav-group")];
  const closeAll = (except) => groups.forEach((g) => { if (g !== except) g.open = false; });
  groups.forEach((g) => g.addEventListener("toggle", () => { if (g.open) closeAll(g); }));
  document.addEventListener("click", (e) => { if (!e.target.closest("nav.main details.nav-group")) closeAll(null); });
  document.addEventListener("keydown", (e) => {
    if (e.key !== "Escape") return;
    const open = groups.find((g) => g.open);
    if (open) { open.open = false; open.querySelector("summary").focus(); }
  });
});

// The handout's Print button: shown only where script runs, since it only calls the browser's
// own print command (which works without it).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});

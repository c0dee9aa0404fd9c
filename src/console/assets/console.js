/**
 * The console's common behaviour, an ES module served at /admin/assets/console.js (the CSP allows no inline
 * script): confirmation of destructive buttons, a busy state on submit so a slow request is visible and not
 * sent twice, and the preview of an image chosen for upload.
 */
document.addEventListener('submit', (event) => {
  const form = event.target;
  const button = event.submitter;
  const question = (button && button.dataset.confirm) || form.dataset.confirm;
  if (question && !window.confirm(question)) { event.preventDefault(); return; }
  if (button) {
    button.setAttribute('aria-busy', 'true');
    // Disabled after the submit event has read the button's name/value.
    setTimeout(() => { button.disabled = true; button.textContent = button.dataset.busy || 'Working…'; }, 0);
  }
});
for (const input of document.querySelectorAll('input[type=file][data-preview]')) {
  const img = document.getElementById(input.dataset.preview);
  input.addEventListener('change', () => {
    const file = input.files && input.files[0];
    if (img.src.startsWith('blob:')) URL.revokeObjectURL(img.src);
    if (file && file.type.startsWith('image/')) { img.src = URL.createObjectURL(file); img.hidden = false; }
    else { img.removeAttribute('src'); img.hidden = true; }
  });
}

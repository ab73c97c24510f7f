// One non-blocking message at the top of the page: errors from the server, in its own words.

let timer;

export function showError(error) {
  show(error && error.message ? error.message : String(error), 'error');
}

export function showInfo(message) {
  show(message, 'info');
}

function show(message, kind) {
  const banner = document.getElementById('banner');
  if (!banner) return;
  banner.className = `banner ${kind}`;
  banner.replaceChildren();
  const text = document.createElement('span');
  text.textContent = message;
  const close = document.createElement('button');
  close.type = 'button';
  close.className = 'btn btn-ghost btn-small';
  close.textContent = 'Dismiss';
  close.addEventListener('click', hide);
  banner.append(text, close);
  banner.hidden = false;
  clearTimeout(timer);
  timer = setTimeout(hide, kind === 'error' ? 12000 : 5000);
}

export function hide() {
  const banner = document.getElementById('banner');
  if (banner) banner.hidden = true;
}

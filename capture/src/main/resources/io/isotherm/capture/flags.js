/*
 * What the page shows, for the capture's flags. Run by WebDriver's executeScript (the body of a function).
 * Returns {title, heading, password, challenge}: challenge names the first bot-check marker found, or null.
 */
var visible = (el) => {
  var r = el.getBoundingClientRect(), s = getComputedStyle(el);
  return r.width > 0 && r.height > 0 && s.visibility == 'visible' && s.opacity != '0';
};
var title = document.title || '';
var h1 = document.querySelector('h1');
var CHALLENGE_HOSTS = /^https?:\/\/([^\/]*\.)?(challenges\.cloudflare\.com|hcaptcha\.com|captcha-delivery\.com)[\/:]|^https?:\/\/(www\.)?(google\.com|recaptcha\.net)\/recaptcha\//i;
var challenge = null;
if (/^(just a moment|attention required)/i.test(title.trim())) challenge = 'Cloudflare "' + title.trim() + '"';
var marker = document.querySelector('#challenge-form, #challenge-running, #challenge-stage, .cf-challenge, #cf-challenge-running, [id^="cf-chl-"], #px-captcha, .px-captcha');
if (!challenge && marker) challenge = marker.id ? '#' + marker.id : '.' + marker.classList[0];
if (!challenge) {
  for (var el of document.querySelectorAll('iframe[src], script[src]')) {
    if (CHALLENGE_HOSTS.test(el.src)) {
      challenge = el.localName + ' from ' + new URL(el.src).host;
      break;
    }
  }
}
return {
  title: title.trim().slice(0, 200),
  heading: h1 ? h1.textContent.trim().replace(/\s+/g, ' ').slice(0, 200) : '',
  password: [...document.querySelectorAll('input[type=password]')].some(visible),
  challenge: challenge
};

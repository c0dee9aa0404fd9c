/** Where the console lives and the names its forms and cookies use. */
export const CONSOLE_BASE = '/admin';
export const SESSION_COOKIE = 'console_session';
export const LOGIN_CSRF_COOKIE = 'console_login_csrf';
export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'X-CSRF-Token';

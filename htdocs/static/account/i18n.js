// Messages of the account pages (/verify-email, /reset-password) in Spanish (default) and
// English. The language is chosen as in the booking wizard: the first of the browser's
// languages that is Spanish or English wins, anything else gives Spanish.
import { pickLanguage } from '../wizard/i18n.js';

const MESSAGES = {
  es: {
    skip: 'Ir al contenido',
    docVerify: 'Verificar correo · Konfirmado',
    docReset: 'Nueva contraseña · Konfirmado',
    verifyTitle: 'Verificación de correo',
    verifying: 'Estamos verificando tu correo…',
    verifiedTitle: '¡Correo verificado!',
    verifiedText: 'Tu correo {email} quedó verificado.',
    verifiedTextNoEmail: 'Tu correo quedó verificado.',
    goToLogin: 'Iniciar sesión',
    verifiedNext: 'Ya puedes iniciar sesión en Konfirmado con tu correo y tu contraseña.',
    verifyFailedTitle: 'No pudimos verificar tu correo',
    invalidVerifyLink: 'El enlace no es válido, ya fue usado o venció (dura 24 horas).',
    invalidVerifyNext: 'Si ya verificaste tu correo, simplemente inicia sesión. Si no, pide un enlace para elegir tu contraseña: al usarlo, tu correo también queda verificado.',
    askLink: 'Pedir un enlace nuevo',
    missingToken: 'Al enlace le falta una parte. Ábrelo de nuevo desde el correo o cópialo completo en el navegador.',
    resetTitle: 'Elige una contraseña nueva',
    forgotTitle: 'Restablece tu contraseña',
    newPassword: 'Contraseña nueva',
    passwordRules: 'Entre 10 y 128 caracteres, distinta de tu correo. Una frase de varias palabras es fácil de recordar y difícil de adivinar.',
    show: 'Mostrar',
    hide: 'Ocultar',
    showPassword: 'Mostrar la contraseña',
    hidePassword: 'Ocultar la contraseña',
    savePassword: 'Guardar contraseña',
    saving: 'Guardando tu contraseña…',
    errPasswordEmpty: 'Escribe tu contraseña nueva.',
    errPasswordShort: 'La contraseña debe tener al menos 10 caracteres.',
    errPasswordLong: 'La contraseña no puede tener más de 128 caracteres.',
    fixField: 'Revisa la contraseña: {message}',
    resetDoneTitle: 'Contraseña actualizada',
    resetDoneText: 'Guardamos tu contraseña nueva y cerramos las sesiones que estaban abiertas.',
    resetDoneNext: 'Ya puedes iniciar sesión con tu contraseña nueva.',
    resetFailedTitle: 'Este enlace ya no sirve',
    invalidResetLink: 'El enlace para cambiar la contraseña no es válido, ya fue usado o venció (dura 1 hora).',
    newLinkIntro: 'Escribe el correo de tu cuenta y te enviamos un enlace nuevo.',
    email: 'Correo electrónico',
    sendLink: 'Enviar un enlace nuevo',
    sending: 'Enviando…',
    errEmail: 'Escribe un correo válido, por ejemplo nombre@correo.com.',
    linkSentTitle: 'Revisa tu correo',
    linkSent: 'Si hay una cuenta con {email}, te enviamos un enlace nuevo. Revisa tu bandeja de entrada (y la de spam); el enlace dura 1 hora.',
    errNetwork: 'No pudimos conectarnos. Revisa tu conexión e intenta de nuevo.',
    errServer: 'Algo falló de nuestro lado. Intenta de nuevo en un momento.',
    errTooMany: 'Demasiados intentos seguidos. Espera unos minutos e intenta de nuevo.',
    retry: 'Intentar de nuevo',
  },
  en: {
    skip: 'Skip to content',
    docVerify: 'Verify email · Konfirmado',
    docReset: 'New password · Konfirmado',
    verifyTitle: 'Email verification',
    verifying: 'Verifying your email…',
    verifiedTitle: 'Email verified!',
    verifiedText: 'Your email {email} is now verified.',
    verifiedTextNoEmail: 'Your email is now verified.',
    goToLogin: 'Sign in',
    verifiedNext: 'You can now sign in to Konfirmado with your email and password.',
    verifyFailedTitle: 'We could not verify your email',
    invalidVerifyLink: 'The link is invalid, was already used or has expired (it lasts 24 hours).',
    invalidVerifyNext: 'If you already verified your email, just sign in. Otherwise, ask for a link to choose your password: using it verifies your email too.',
    askLink: 'Ask for a new link',
    missingToken: 'Part of the link is missing. Open it again from the email, or copy all of it into the browser.',
    resetTitle: 'Choose a new password',
    forgotTitle: 'Reset your password',
    newPassword: 'New password',
    passwordRules: '10 to 128 characters, not your email address. A phrase of several words is easy to remember and hard to guess.',
    show: 'Show',
    hide: 'Hide',
    showPassword: 'Show the password',
    hidePassword: 'Hide the password',
    savePassword: 'Save password',
    saving: 'Saving your password…',
    errPasswordEmpty: 'Type your new password.',
    errPasswordShort: 'The password must have at least 10 characters.',
    errPasswordLong: 'The password cannot have more than 128 characters.',
    fixField: 'Check the password: {message}',
    resetDoneTitle: 'Password changed',
    resetDoneText: 'We saved your new password and signed out every open session.',
    resetDoneNext: 'You can now sign in with your new password.',
    resetFailedTitle: 'This link no longer works',
    invalidResetLink: 'The password reset link is invalid, was already used or has expired (it lasts 1 hour).',
    newLinkIntro: 'Type the email of your account and we will send you a new link.',
    email: 'Email',
    sendLink: 'Send a new link',
    sending: 'Sending…',
    errEmail: 'Type a valid email, for example name@example.com.',
    linkSentTitle: 'Check your email',
    linkSent: 'If there is an account for {email}, we sent it a new link. Check your inbox (and spam); the link lasts 1 hour.',
    errNetwork: 'We could not connect. Check your connection and try again.',
    errServer: 'Something went wrong on our side. Please try again in a moment.',
    errTooMany: 'Too many attempts in a row. Wait a few minutes and try again.',
    retry: 'Try again',
  },
};

export function languageOfBrowser() {
  const languages = navigator.languages && navigator.languages.length
    ? navigator.languages : [navigator.language];
  return pickLanguage(languages);
}

export function makeTranslator(lang) {
  const table = MESSAGES[lang] || MESSAGES.es;
  return function t(key, vars) {
    let s = table[key];
    if (s === undefined) s = MESSAGES.es[key];
    if (s === undefined) return key;
    if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
    return s;
  };
}

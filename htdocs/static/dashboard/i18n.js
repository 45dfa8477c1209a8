// The dashboard's texts in Spanish and English. The person's choice (the language button,
// kept in localStorage) wins, then the browser's preference, then Spanish. Texts shared by
// several dashboard pages live here (those of every page, in ../shared/i18n.js); a page
// module adds its own with addMessages().
import { browserLanguages, intlTag, messageTable, pickLanguage } from '../shared/i18n.js';

const STORE_KEY = 'konfirmado.dashboard.lang';

const table = messageTable({
  es: {
    menu: 'Menú',
    mainMenu: 'Menú principal',
    logout: 'Salir',
    navHome: 'Inicio',
    navBookings: 'Reservas',
    navServices: 'Servicios',
    navPackages: 'Paquetes',
    navProfessionals: 'Profesionales',
    navLinks: 'Enlaces',
    navMetrics: 'Métricas',
    navBusiness: 'Negocio y marca',
    navPayments: 'Pagos',
    navReminders: 'Recordatorios',
    navCallbacks: 'Notificaciones al sitio',
    navDeliveries: 'Envíos que fallaron',
    navCustomers: 'Clientes',
    navAudit: 'Registro de cambios',
    navPrivacy: 'Datos de clientes',
    notFoundTitle: 'Página no encontrada',
    notFoundText: 'Esta dirección no existe en el panel.',
    errTitle: 'No pudimos cargar esta página',
    errUnavailable: 'El servicio no está disponible en este momento. Inténtalo en unos segundos.',
    required: 'Este campo es obligatorio.',
    save: 'Guardar',
    saved: 'Cambios guardados.',
    cancel: 'Cancelar',
    create: 'Crear',
    edit: 'Editar',
    archive: 'Archivar',
    back: 'Volver',
    copy: 'Copiar',
    copied: 'Copiado',
    copyFailed: 'No se pudo copiar; selecciona el texto y cópialo.',
    yes: 'Sí',
    no: 'No',
    none: 'Ninguno',
    all: 'Todos',
    loadingList: 'Cargando…',
    prev: 'Anterior',
    next: 'Siguiente',
    pageOf: 'Página {page} de {pages}',
    // accounts
    logInTitle: 'Entra a tu panel',
    logIn: 'Entrar',
    password: 'Contraseña',
    wrongPassword: 'El correo o la contraseña no coinciden.',
    notVerified: 'Aún no confirmas tu correo. Abre el enlace que te enviamos (revisa también el spam).',
    tooManyLogins: 'Demasiados intentos. Espera {minutes} min y vuelve a intentarlo.',
    sessionExpired: 'Tu sesión terminó. Entra de nuevo y seguirás donde ibas.',
    loggedOut: 'Saliste de tu cuenta.',
    forgotLink: '¿Olvidaste tu contraseña?',
    signupLink: 'Crear una cuenta',
    signupTitle: 'Crea tu cuenta',
    signupLead: 'Recibe reservas con pago anticipado en minutos.',
    businessName: 'Nombre del negocio',
    createAccount: 'Crear cuenta',
    passwordRules:
      'Entre 10 y 128 caracteres. Una frase de varias palabras es fácil de recordar y difícil de adivinar.',
    emailTaken: 'Ya existe una cuenta con este correo. Entra o recupera tu contraseña.',
    haveAccount: '¿Ya tienes cuenta?',
    checkMailTitle: 'Revisa tu correo',
    checkMailText: 'Te enviamos un enlace a {email} para confirmar tu correo. Ábrelo y luego entra.',
    checkMailHint: 'El enlace vale 24 horas. Si no llega, revisa la carpeta de spam.',
    goToLogin: 'Ir a entrar',
    forgotTitle: 'Recupera tu contraseña',
    forgotLead: 'Escribe el correo de tu cuenta y te enviamos un enlace para elegir una contraseña nueva.',
    sendLink: 'Enviar enlace',
    backToLogin: 'Volver a entrar',
    resetSent: 'Si existe una cuenta con {email}, le llegará un enlace en unos minutos. Vale 1 hora.',
    // statuses
    status_pending_payment: 'Pago pendiente',
    status_paid: 'Pagada',
    status_confirmed: 'Confirmada',
    status_failed: 'Pago fallido',
    status_expired: 'Vencida',
    status_cancelled: 'Cancelada',
    status_held: 'Apartada',
    status_completed: 'Asistió',
    status_no_show: 'No asistió',
    status_completed_automatically: 'Asistió (marcada automáticamente)',
    // home
    homeTitle: 'Hola, {name}',
    checklistTitle: 'Pon tu negocio en marcha',
    checklistProgress: '{done} de {total} pasos listos',
    stepDone: 'listo',
    stepOpen: 'pendiente',
    stepBusiness: 'Datos del negocio y marca',
    stepBusinessHint: 'Tu dirección web, zona horaria, logo y colores.',
    stepPayments: 'Conecta tus pagos',
    stepPaymentsHint: 'Tus llaves de Wompi, con prueba de conexión. No hace falta si todo es gratis.',
    stepService: 'Tu primer servicio',
    stepServiceHint: 'Qué ofreces, cuánto dura y cuánto se paga al reservar.',
    stepProfessional: 'Tu primer profesional',
    stepProfessionalHint: 'Quién atiende y en qué horario.',
    stepLink: 'Tu primer enlace',
    stepLinkHint: 'El enlace que compartes para que te reserven.',
    shareTitle: 'Tu enlace de reservas',
    shareHint: 'Compártelo en tu web, redes o WhatsApp.',
    copyLink: 'Copiar enlace',
    openLink: 'Abrir',
    attentionTitle: 'Requiere tu atención',
    seeThem: 'Ver reservas',
    failedCallbacks: '{n} notificaciones a tu sitio fallaron después de todos los reintentos.',
    refundsNeeded:
      '{n} pagos deben devolverse al cliente (llegó dinero por un horario que ya no estaba libre, o un monto distinto).',
    upcomingTitle: 'Próximas citas',
    noUpcoming: 'Aún no hay citas próximas.',
    colWhen: 'Fecha',
    colCustomer: 'Cliente',
    colService: 'Servicio',
    colProfessional: 'Profesional',
    colStatus: 'Estado',
    colName: 'Nombre',
    colEmail: 'Correo',
    active: 'Activo',
    archived: 'Archivado',
    fService: 'Servicio',
    fProfessional: 'Profesional',
    fFrom: 'Desde',
    fTo: 'Hasta',
    apply: 'Aplicar',
    clear: 'Quitar filtros',
    ms: '{n} ms',
    priceInvalid: 'Escribe un valor como 120000 o 120.000.',
  },
  en: {
    menu: 'Menu',
    mainMenu: 'Main menu',
    logout: 'Log out',
    navHome: 'Home',
    navBookings: 'Bookings',
    navServices: 'Services',
    navPackages: 'Packages',
    navProfessionals: 'Professionals',
    navLinks: 'Links',
    navMetrics: 'Metrics',
    navBusiness: 'Business & brand',
    navPayments: 'Payments',
    navReminders: 'Reminders',
    navCallbacks: 'Site notifications',
    navDeliveries: 'Failed deliveries',
    navCustomers: 'Customers',
    navAudit: 'Audit log',
    navPrivacy: 'Customer data',
    notFoundTitle: 'Page not found',
    notFoundText: 'This address does not exist in the dashboard.',
    errTitle: 'We could not load this page',
    errUnavailable: 'The service is unavailable right now. Try again in a few seconds.',
    required: 'This field is required.',
    save: 'Save',
    saved: 'Changes saved.',
    cancel: 'Cancel',
    create: 'Create',
    edit: 'Edit',
    archive: 'Archive',
    back: 'Back',
    copy: 'Copy',
    copied: 'Copied',
    copyFailed: 'Could not copy; select the text and copy it.',
    yes: 'Yes',
    no: 'No',
    none: 'None',
    all: 'All',
    loadingList: 'Loading…',
    prev: 'Previous',
    next: 'Next',
    pageOf: 'Page {page} of {pages}',
    logInTitle: 'Log in to your dashboard',
    logIn: 'Log in',
    password: 'Password',
    wrongPassword: 'The email or the password does not match.',
    notVerified: 'You have not confirmed your email yet. Open the link we sent you (check spam too).',
    tooManyLogins: 'Too many attempts. Wait {minutes} min and try again.',
    sessionExpired: 'Your session ended. Log in again and you will continue where you were.',
    loggedOut: 'You logged out.',
    forgotLink: 'Forgot your password?',
    signupLink: 'Create an account',
    signupTitle: 'Create your account',
    signupLead: 'Take prepaid bookings in minutes.',
    businessName: 'Business name',
    createAccount: 'Create account',
    passwordRules: '10 to 128 characters. A phrase of several words is easy to remember and hard to guess.',
    emailTaken: 'An account with this email already exists. Log in or reset your password.',
    haveAccount: 'Already have an account?',
    checkMailTitle: 'Check your email',
    checkMailText: 'We sent a link to {email} to confirm your address. Open it, then log in.',
    checkMailHint: 'The link is valid for 24 hours. If it does not arrive, check your spam folder.',
    goToLogin: 'Go to log in',
    forgotTitle: 'Reset your password',
    forgotLead: 'Type the email of your account and we will send you a link to choose a new password.',
    sendLink: 'Send link',
    backToLogin: 'Back to log in',
    resetSent: 'If an account exists for {email}, a link will arrive in a few minutes. It is valid for 1 hour.',
    status_pending_payment: 'Payment pending',
    status_paid: 'Paid',
    status_confirmed: 'Confirmed',
    status_failed: 'Payment failed',
    status_expired: 'Expired',
    status_cancelled: 'Cancelled',
    status_held: 'Held',
    status_completed: 'Attended',
    status_no_show: 'Did not attend',
    status_completed_automatically: 'Attended (marked automatically)',
    homeTitle: 'Hello, {name}',
    checklistTitle: 'Get your business going',
    checklistProgress: '{done} of {total} steps done',
    stepDone: 'done',
    stepOpen: 'to do',
    stepBusiness: 'Business details and brand',
    stepBusinessHint: 'Your web address, time zone, logo and colors.',
    stepPayments: 'Connect your payments',
    stepPaymentsHint: 'Your Wompi keys, with a connection test. Not needed if everything is free.',
    stepService: 'Your first service',
    stepServiceHint: 'What you offer, how long it takes and what is paid when booking.',
    stepProfessional: 'Your first professional',
    stepProfessionalHint: 'Who serves and when.',
    stepLink: 'Your first link',
    stepLinkHint: 'The link you share so people can book you.',
    shareTitle: 'Your booking link',
    shareHint: 'Share it on your website, social media or WhatsApp.',
    copyLink: 'Copy link',
    openLink: 'Open',
    attentionTitle: 'Needs your attention',
    seeThem: 'See bookings',
    failedCallbacks: '{n} notifications to your site failed after every retry.',
    refundsNeeded:
      '{n} payments must go back to the customer (money came for a slot that was no longer free, or a different amount).',
    upcomingTitle: 'Upcoming appointments',
    noUpcoming: 'No upcoming appointments yet.',
    colWhen: 'Date',
    colCustomer: 'Customer',
    colService: 'Service',
    colProfessional: 'Professional',
    colStatus: 'Status',
    colName: 'Name',
    colEmail: 'Email',
    active: 'Active',
    archived: 'Archived',
    fService: 'Service',
    fProfessional: 'Professional',
    fFrom: 'From',
    fTo: 'To',
    apply: 'Apply',
    clear: 'Clear filters',
    ms: '{n} ms',
    priceInvalid: 'Type an amount like 120000 or 120.50.',
  },
});

let lang = 'es';

export function chooseLanguage() {
  let stored = null;
  try {
    stored = localStorage.getItem(STORE_KEY);
  } catch (e) {
    stored = null;
  }
  lang = stored === 'es' || stored === 'en' ? stored : pickLanguage(browserLanguages());
  return lang;
}

export function setLanguage(value) {
  lang = value === 'en' ? 'en' : 'es';
  try {
    localStorage.setItem(STORE_KEY, lang);
  } catch (e) {
    /* private mode: this page only */
  }
}

export const currentLanguage = () => lang;

export function intlTagOf() {
  return intlTag(lang, browserLanguages());
}

// A page's own texts: {es: {...}, en: {...}}.
export function addMessages(more) {
  table.add(more);
}

// Whether a text exists for `key` (a reason or a kind the dashboard has no words for yet
// is shown as it comes).
export function hasText(key) {
  return table.has(lang, key);
}

export function t(key, vars) {
  return table.translator(lang)(key, vars);
}

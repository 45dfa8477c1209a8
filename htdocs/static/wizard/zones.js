// Time zones as people say them: "Bogotá (GMT-5)", "Ciudad de México (GMT-6)", "Nueva York
// (GMT-5)" / "New York (GMT-5)". Intl gives the offset of the moment (timeZoneName
// 'shortOffset', so summer time shows) and the country's name (Intl.DisplayNames); the city's
// own name, with its accents, comes from the small table below of the zones of the markets
// served (Latin America, Spain, the United States) and their neighbours. Any other IANA zone
// reads by the last part of its name ("Asia/Tokyo" -> "Tokyo").

// zone: [Spanish name, English name, country (ISO 3166), other names a search finds it by]
const CITIES = {
  'America/Bogota': ['Bogotá', 'Bogotá', 'CO', 'Medellín Cali Barranquilla Cartagena'],
  'America/Mexico_City': ['Ciudad de México', 'Mexico City', 'MX', 'CDMX Guadalajara Puebla'],
  'America/Monterrey': ['Monterrey', 'Monterrey', 'MX', ''],
  'America/Cancun': ['Cancún', 'Cancún', 'MX', 'Quintana Roo'],
  'America/Tijuana': ['Tijuana', 'Tijuana', 'MX', 'Baja California'],
  'America/Lima': ['Lima', 'Lima', 'PE', ''],
  'America/Guayaquil': ['Quito', 'Quito', 'EC', 'Guayaquil'],
  'America/Caracas': ['Caracas', 'Caracas', 'VE', ''],
  'America/La_Paz': ['La Paz', 'La Paz', 'BO', 'Santa Cruz'],
  'America/Santiago': ['Santiago de Chile', 'Santiago', 'CL', ''],
  'America/Argentina/Buenos_Aires': ['Buenos Aires', 'Buenos Aires', 'AR', 'Córdoba Rosario'],
  'America/Montevideo': ['Montevideo', 'Montevideo', 'UY', ''],
  'America/Asuncion': ['Asunción', 'Asunción', 'PY', ''],
  'America/Sao_Paulo': ['São Paulo', 'São Paulo', 'BR', 'Rio de Janeiro Brasília'],
  'America/Panama': ['Ciudad de Panamá', 'Panama City', 'PA', ''],
  'America/Costa_Rica': ['San José de Costa Rica', 'San José, Costa Rica', 'CR', ''],
  'America/Guatemala': ['Ciudad de Guatemala', 'Guatemala City', 'GT', ''],
  'America/El_Salvador': ['San Salvador', 'San Salvador', 'SV', ''],
  'America/Tegucigalpa': ['Tegucigalpa', 'Tegucigalpa', 'HN', 'San Pedro Sula'],
  'America/Managua': ['Managua', 'Managua', 'NI', ''],
  'America/Havana': ['La Habana', 'Havana', 'CU', ''],
  'America/Santo_Domingo': ['Santo Domingo', 'Santo Domingo', 'DO', ''],
  'America/Puerto_Rico': ['San Juan de Puerto Rico', 'San Juan, Puerto Rico', 'PR', ''],
  'America/New_York': [
    'Nueva York',
    'New York',
    'US',
    'Miami Washington Boston Atlanta Orlando Filadelfia Philadelphia',
  ],
  'America/Chicago': ['Chicago', 'Chicago', 'US', 'Houston Dallas San Antonio Austin'],
  'America/Denver': ['Denver', 'Denver', 'US', ''],
  'America/Phoenix': ['Phoenix', 'Phoenix', 'US', 'Arizona'],
  'America/Los_Angeles': ['Los Ángeles', 'Los Angeles', 'US', 'San Francisco San Diego Seattle Las Vegas'],
  'America/Anchorage': ['Anchorage', 'Anchorage', 'US', 'Alaska'],
  'Pacific/Honolulu': ['Honolulu', 'Honolulu', 'US', 'Hawái Hawaii'],
  'America/Toronto': ['Toronto', 'Toronto', 'CA', 'Montreal Ottawa'],
  'America/Vancouver': ['Vancouver', 'Vancouver', 'CA', ''],
  'Europe/Madrid': ['Madrid', 'Madrid', 'ES', 'Barcelona Valencia Sevilla Seville Bilbao'],
  'Atlantic/Canary': ['Canarias', 'Canary Islands', 'ES', 'Las Palmas Tenerife'],
  'Europe/Lisbon': ['Lisboa', 'Lisbon', 'PT', ''],
  'Europe/London': ['Londres', 'London', 'GB', ''],
  'Europe/Paris': ['París', 'Paris', 'FR', ''],
  'Europe/Berlin': ['Berlín', 'Berlin', 'DE', ''],
  'Europe/Rome': ['Roma', 'Rome', 'IT', ''],
  UTC: ['Tiempo universal', 'Coordinated Universal Time', null, 'UTC GMT'],
};

// Listed first, after the customer's own zone and the business's: where customers of the
// markets served mostly are.
export const COMMON_ZONES = [
  'America/Bogota',
  'America/Mexico_City',
  'America/Lima',
  'America/Guayaquil',
  'America/Caracas',
  'America/Santiago',
  'America/Argentina/Buenos_Aires',
  'America/Panama',
  'America/Costa_Rica',
  'America/Guatemala',
  'America/Santo_Domingo',
  'Europe/Madrid',
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Los_Angeles',
];

const lang = (tag) =>
  String(tag || '')
    .toLowerCase()
    .startsWith('en')
    ? 'en'
    : 'es';

// "Bogotá", "New York", "Tokyo": the zone's city in the page's language.
export function zoneCity(tz, tag) {
  const known = CITIES[tz];
  if (known) return lang(tag) === 'en' ? known[1] : known[0];
  return String(tz).split('/').pop().replace(/_/g, ' ');
}

// "GMT-5" now (or at `when`), "" when Intl cannot say.
export function zoneOffset(tz, tag, when = new Date()) {
  try {
    const part = new Intl.DateTimeFormat(tag, { timeZone: tz, timeZoneName: 'shortOffset' })
      .formatToParts(when)
      .find((p) => p.type === 'timeZoneName');
    return part ? part.value : '';
  } catch (e) {
    return '';
  }
}

// "Bogotá (GMT-5)".
export function zoneLabel(tz, tag, when) {
  const city = zoneCity(tz, tag);
  const offset = zoneOffset(tz, tag, when);
  return offset ? `${city} (${offset})` : city;
}

// "Colombia", "Estados Unidos": the country a known zone is in, in the page's language.
export function zoneCountry(tz, tag) {
  const known = CITIES[tz];
  if (!known || !known[2]) return '';
  try {
    return new Intl.DisplayNames([lang(tag) === 'en' ? 'en' : 'es'], { type: 'region' }).of(known[2]) || '';
  } catch (e) {
    return '';
  }
}

// Lower case without accents: "Bogotá" and "bogota" are the same search.
export function folded(text) {
  return String(text || '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .trim();
}

// Everything a search finds a zone by: its names in both languages, its country, other
// cities that keep its time, and its IANA name.
export function zoneSearchText(tz, tag) {
  const known = CITIES[tz] || [];
  return folded(
    [known[0], known[1], zoneCountry(tz, tag), known[3], tz.replace(/[/_]/g, ' ')].filter(Boolean).join(' '),
  );
}

/**
 * Text content for the generator: words as they appear on signs, shop fronts, labels and
 * documents, plus generated numbers (prices, phone numbers, dates, codes). Latin script only,
 * so every pinned family can render every glyph.
 */
import type { Rng } from './prng';

const SIGN_WORDS = (
  'EXIT OPEN CLOSED SALE STOP PUSH PULL PARKING HOTEL CAFE BAR PHARMACY BANK TAXI POLICE ' +
  'ENTRANCE TOILETS DANGER CAUTION WELCOME FRESH BAKERY MARKET STREET ROAD AVENUE STATION ' +
  'PLATFORM TICKETS INFORMATION RESTAURANT PIZZA COFFEE BOOKS MUSIC CINEMA THEATRE MUSEUM ' +
  'LIBRARY SCHOOL HOSPITAL EMERGENCY NO SMOKING KEEP LEFT RIGHT AHEAD ONLY BUS LANE ' +
  'DELIVERY FASHION SHOES OUTLET DISCOUNT FREE WIFI ORGANIC DELI NOODLES SUSHI GRILL BURGERS ' +
  'LAUNDRY BARBER SALON DENTAL OPTICS REPAIR GARAGE MOTORS HARDWARE FLOWERS TOYS GIFTS ' +
  'JEWELLERY MOBILE ELECTRONICS SUPERMARKET EXPRESS CITY CENTRE NORTH SOUTH EAST WEST'
).split(' ');

const COMMON_WORDS = (
  'the and for with from your this that more best new today only daily store shop house ' +
  'garden kitchen fresh coffee tea menu special offer price quality service since family ' +
  'order online call now visit us open hours monday friday weekend lunch dinner breakfast ' +
  'street market station park square bridge river hill village tower gallery studio centre ' +
  'opening soon welcome thank you please wait here entrance exit floor level room office ' +
  'account invoice total amount date number customer payment cash card receipt change item ' +
  'quantity tax subtotal discount balance address phone email website delivery returns ' +
  'Hello World Kings Queen Royal Golden Silver Green Blue Ocean Sunset Harbour Central ' +
  'Victoria Albert Station Union Liberty Grand Palace Garden Corner Little Big Happy Lucky'
).split(' ');

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** A price, phone number, date, time, percentage or code. */
function numberToken(rng: Rng): string {
  switch (rng.int(0, 6)) {
    case 0:
      return `$${rng.int(1, 999)}.${pad(rng.int(0, 99), 2)}`;
    case 1:
      return `${rng.int(100, 999)}-${pad(rng.int(0, 9999), 4)}`;
    case 2:
      return `${pad(rng.int(1, 28), 2)}/${pad(rng.int(1, 12), 2)}/${rng.int(1990, 2030)}`;
    case 3:
      return `${pad(rng.int(0, 23), 2)}:${pad(rng.int(0, 59), 2)}`;
    case 4:
      return `${rng.int(5, 90)}%`;
    case 5:
      return `${String.fromCharCode(65 + rng.int(0, 25))}${rng.int(1, 999)}`;
    default:
      return String(rng.int(1, 99999));
  }
}

function capitalise(w: string): string {
  return w.charAt(0).toUpperCase() + w.slice(1);
}

/** Kind of text: shapes the case and content of the words drawn. */
export type TextStyle = 'sign' | 'document' | 'mixed';

/** One word: no spaces, 1 to 16 characters. */
export function randomWord(rng: Rng, style: TextStyle): string {
  if (rng.chance(style === 'document' ? 0.18 : 0.12)) return numberToken(rng);
  if (style === 'sign' || (style === 'mixed' && rng.chance(0.45))) {
    const w = rng.pick(SIGN_WORDS);
    return rng.chance(0.75) ? w : capitalise(w.toLowerCase());
  }
  const w = rng.pick(COMMON_WORDS);
  const r = rng.next();
  if (r < 0.15) return w.toUpperCase();
  if (r < 0.4) return capitalise(w);
  return w;
}

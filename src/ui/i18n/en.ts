import { MODULES } from '../../modules/index.ts';
import { lazyCatalogue } from './lazy.ts';

/**
 * The English message catalogue: the site's own strings below (and in pl.ts), then every module's
 * `messages.en` from its manifest (src/modules/index.ts). Each module keeps its strings in
 * `src/modules/<name>/i18n.ts`; a test fails when two declare the same key.
 */
const core = {
  'lang.name': 'English',
  'lang.switch': 'Language',
  'site.skip': 'Skip to main content',
  'site.tagline': 'A parent-owned mutual for early years',
  'site.footer.data': 'Data sources and licences',
  'site.footer.api': 'API for developers',
  'site.footer.software': 'Runs on Parent Mutual, open software for parent-owned mutuals.',
  'nav.label': 'Main',
  'nav.home': 'Home',
  'nav.wards': 'Wards',
  'nav.about': 'About and data',
  'nav.work': 'Your work',
  'work.title': 'Your work',
  'work.lead': 'The tools your roles give you.',
  'work.none': 'Your roles give you no staff tools.',
  'home.title': 'Welcome to {tenant}',
  'home.lead':
    'Parents, grandparents and carers shaping, choosing and running the early-years services in our town.',
  'home.join': 'Join the mutual',
  'home.signin': 'Already a member? Sign in',
  'home.erased': 'Your details have been erased. Thank you for being part of the mutual.',
  'home.left': 'You have left the mutual. You are welcome back at any time.',
  'home.what.title': 'What we do',
  'home.what.1': 'Parents decide how the early-years budget devolved to the mutual is spent.',
  'home.what.2': 'Volunteers train, get accredited and step up a ladder of participation.',
  'home.what.3': 'Street champions report what they see in their neighbourhoods.',
  'home.what.4': 'Every ward has a voice, through its ward representatives.',
  'home.wards.title': 'Our wards',
  'home.wards.body':
    'The mutual covers {count} wards, home to about {under5} children under 5 (ONS mid-2020 estimates).',
  'home.wards.link': 'See the wards on a map',
  'home.nodata': 'No wards have been loaded for this area yet.',
  'about.title': 'About this site and its data',
  'about.lead':
    '{tenant} runs on Parent Mutual. The figures on this site come from the public sources below.',
  'about.wardsets.title': 'Ward sets',
  'about.wardsets.current': 'current',
  'about.wardsets.count': '{count} wards',
  'about.wardsets.valid': 'In force {from} to {to}',
  'about.wardsets.validOpen': 'In force from {from}',
  'about.attribution.title': 'Sources and licences',
  'about.attribution.ons':
    'Source: Office for National Statistics, licensed under the Open Government Licence v3.0.',
  'about.attribution.os2020':
    'Contains OS data © Crown copyright and database right 2020 (ward boundaries 2015–2021, borough boundary).',
  'about.attribution.os2025': 'Contains OS data © Crown copyright and database right 2025 (ward boundaries 2025).',
  'about.attribution.psi':
    'Contains public sector information licensed under the Open Government Licence v3.0 (English Indices of Deprivation 2019, MHCLG).',
  'about.attribution.derived':
    'Ward totals of population (ONS mid-2020 estimates), children under 5 and deprivation are summed from whole 2011 LSOAs: for the 2015–2021 wards by the ONS best-fit lookup, for the 2025 wards by the method above. Either way they are approximate.',
  'about.attribution.generalised': 'Boundaries are generalised: fine for maps, not legal boundaries.',
  'about.ogl': 'Open Government Licence v3.0',
  'wards.title': 'Wards',
  'wards.lead': 'Each ward of {area}. Choose a ward on the map or in the table to see its facts.',
  'wards.map.label': 'Map of the wards of {set}',
  'wards.map.hint': 'The map needs JavaScript. The table below lists the same wards.',
  'wards.table.caption': 'Wards of {set}',
  'wards.col.ward': 'Ward',
  'wards.col.code': 'Code',
  'wards.col.population': 'Population',
  'wards.col.under5': 'Children under 5',
  'wards.col.deprivation': 'Most deprived decile',
  'wards.otherSets': 'Other ward sets',
  'wards.viewSet': 'View {set}',
  'wards.noneLoaded': 'No wards have been loaded for this area yet.',
  'ward.title': '{ward} ward',
  'ward.set': 'Ward set: {set}',
  'ward.facts': 'Facts',
  'ward.facts.none': 'No statistics are held for this ward set.',
  'ward.back': 'All wards',
  'ward.map.label': 'Map of {ward} ward',
  'map.zoomIn': 'Zoom in',
  'map.zoomOut': 'Zoom out',
  'fact.population': 'Population (mid-2020 estimate)',
  'fact.children_under_5': 'Children under 5 (mid-2020 estimate)',
  'fact.pct_age0to4': 'Share of people under 5',
  'fact.n_lsoa2011': 'Neighbourhoods (2011 LSOAs) in the ward',
  'fact.min_IMD2019_decile': 'Most deprived neighbourhood, national decile (1 = most deprived 10%)',
  'fact.n_lsoa_IMD2019_decile1': 'Neighbourhoods in the most deprived 10% in England',
  'fact.n_lsoa_IMD2019_decile1or2': 'Neighbourhoods in the most deprived 20% in England',
  'fact.pop_mid2020_age0to4_in_decile1or2_lsoas': 'Children under 5 living in the most deprived 20% of neighbourhoods',
  'fact.code': 'ONS code',
  'error.401.title': 'Please sign in',
  'error.401.body': 'You need to sign in to do that. Your session may have ended.',
  'error.404.title': 'Page not found',
  'error.404.body': 'We could not find that page. Check the address, or go to the home page.',
  'error.500.title': 'Something went wrong',
  'error.500.body': 'Sorry, something went wrong on our side. Please try again in a minute. Reference: {ref}',
  'error.403.title': 'Not allowed',
  'error.403.body': 'This form has expired or came from another site. Go back, reload the page and try again.',
  'error.413.title': 'Too large',
  'error.413.body': 'What you sent is too large. Send a smaller file or less text.',
  'error.400.title': 'Something in the form needs fixing',
  'error.429.title': 'Too many attempts',
  'error.429.body': 'Please wait a minute and try again.',
  'error.home': 'Go to the home page',
  'error.unknownHost.title': 'No mutual here',
  'error.unknownHost.body': 'No mutual is set up at this address.',
  // Request edge: input refused before it reaches a page (src/server/middleware/input.ts).
  'error.input.nul': 'What you sent contains a NUL character (\\0 or %00), which cannot be stored. Remove it and send again.',
  'error.input.form': 'The form could not be read: it was cut off or sent without its multipart boundary. Reload the page and send it again.',
  'error.input.deep': 'The JSON you sent is nested too deeply (more than {max} levels). Send a flatter document.',
  'api.docs.title': 'Parent Mutual API',
  'api.docs.lead': 'Version 1 of the JSON API. The machine-readable OpenAPI document is at {url}.',
  'api.docs.request': 'Request body',
  'api.docs.responses': 'Responses',
  'api.docs.params': 'Parameters',
  'number.notAvailable': 'not available',
  // UI and area (issue 7, items 20–21): privacy notice footer and contact, 2025 wards, phone tables.
  'site.footer.privacy': 'Privacy notice',
  'fact.pct_area_in_former_corby_borough': 'Share of the ward’s area inside the former Corby borough',
  'wards.partial':
    'Some wards reach beyond {area}. Their figures count only the neighbourhoods inside it: see the share of the ward’s area on its page.',
  'about.method.title': 'How the ward figures were worked out',
  'about.method.2025':
    'The 2025 wards: each 2011 neighbourhood (LSOA) of the former Corby borough was given wholly to the 2025 ward that holds most of its area (best fit by largest overlap, measured on a grid of points about 25 m apart). A ward’s population, children under 5 and deprivation are the sums of its neighbourhoods, so the wards add up exactly to the neighbourhood totals. Wards that reach outside the former borough count only their part inside it.',
  'about.method.remap':
    'When the 2025 wards became current, each member and ward representative of a 2015–2021 ward was moved to the 2025 ward where most of that old ward’s people live (measured on the same grid, each point weighted by its neighbourhood’s population). Every move is in the audit log.',
  'about.method.script': 'The figures and both lookups are made by scripts/corby-ward-fit.ts in the Parent Mutual source.',
  'privacy.controller': '{tenant} is the data controller for the information you give on this site.',
  'privacy.contact.title': 'How to contact us',
  'privacy.contact.email': 'Email',
  'privacy.contact.address': 'Post',
  'privacy.contact.missing': 'To be filled in by the mutual: the email address and postal address for questions about your information.',
  'privacy.complain.title': 'How to complain',
  'privacy.complain.body':
    'If you are unhappy with how we use your information, please tell us first. You also have the right to complain to the Information Commissioner’s Office (ICO), the UK regulator for data protection.',
  'privacy.complain.web': 'Complain to the ICO online at ico.org.uk',
  'privacy.complain.phone': 'ICO helpline: 0303 123 1113',
  'privacy.complain.post': 'Information Commissioner’s Office, Wycliffe House, Water Lane, Wilmslow, Cheshire SK9 5AF',
  'api.docs.schemas': 'Schemas',
  'api.docs.required': 'required',
  'api.docs.showSchema': 'Show the schema',
  // Translated errors (issue 8, item 6): page words for every error code (src/server/error-pages.tsx).
  'error.request.title': 'That could not be done',
  'error.request.body': 'Something in what was sent could not be used. Go back, reload the page and try again.',
  'error.json.body': 'The request body is not valid JSON. Check quotes, commas and brackets.',
  'error.validation.body': 'Check the highlighted fields.',
  'error.validation.summary': 'Please fix: {list}',
  'error.forbidden.body': 'Your role does not allow this. If you think it should, ask a coordinator or an admin.',
  'error.conflict.title': 'This cannot be done now',
  'error.conflict.body': 'The record is not in a state that allows this. Go back, reload the page and check it.',
  'error.idempotency.conflict': 'This Idempotency-Key was already used for a different request. Use a new key for a new request.',
  'error.idempotency.inProgress': 'That request is still being processed. Try again in a moment.',
  'error.415.title': 'Not a form we can read',
  'error.415.body': 'Send JSON (Content-Type: application/json) or an HTML form.',
  'error.503.body': 'The service cannot reach its database just now. Please try again in a minute. Reference: {ref}',
  'error.wardSet.missing': 'There is no ward set "{key}".',
  'error.wardSet.noSuch': 'There is no such ward set.',
  'error.ward.missing': 'There is no ward {code} in {set}.',
  'error.ward.noSuch': 'There is no such ward.',
  'error.area.none': 'This mutual has no area yet.',
} as const;

/**
 * Every module's message keys, filled by declaration merging from its index.ts
 * (`declare module '…/ui/i18n/en.ts' { interface ModuleMessages extends Record<keyof typeof xEn, string> {} }`).
 * Merging rather than reading the module list's type keeps the pages (which use MessageKey) out of
 * a type cycle with the list (which imports them).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by the modules through declaration merging
export interface ModuleMessages {}
export type CoreMessages = typeof core;
export type EnglishCatalogue = CoreMessages & ModuleMessages;
export type MessageKey = Extract<keyof EnglishCatalogue, string>;

/** The site's strings, for the duplicate-key test. */
export const coreEn: CoreMessages = core;

/**
 * Assembled on first use, not at load: the module list imports the page files, which import the
 * i18n functions, so reading MODULES while this file loads would meet it unfinished.
 */
export const en: EnglishCatalogue = lazyCatalogue(() => Object.assign({}, core, ...MODULES.map((m) => ('messages' in m ? m.messages.en : {}))) as EnglishCatalogue);

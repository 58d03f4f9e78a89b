import { MODULES } from '../../modules/index.ts';
import type { CoreMessages, MessageKey } from './en.ts';
import { lazyCatalogue } from './lazy.ts';

/** Polish message catalogue: the compiler refuses it if a key is missing. */
const core: Record<keyof CoreMessages, string> = {
  'lang.name': 'Polski',
  'lang.switch': 'Język',
  'site.skip': 'Przejdź do treści głównej',
  'site.tagline': 'Wzajemna organizacja rodziców na rzecz małych dzieci',
  'site.footer.data': 'Źródła danych i licencje',
  'site.footer.api': 'API dla programistów',
  'site.footer.software': 'Działa na Parent Mutual, otwartym oprogramowaniu dla organizacji prowadzonych przez rodziców.',
  'nav.label': 'Główna nawigacja',
  'nav.home': 'Strona główna',
  'nav.wards': 'Okręgi',
  'nav.about': 'O nas i o danych',
  'home.title': 'Witamy w {tenant}',
  'home.lead':
    'Rodzice, dziadkowie, opiekunki i opiekunowie współtworzą, wybierają i prowadzą usługi dla małych dzieci w naszym mieście.',
  'home.join': 'Dołącz do organizacji',
  'home.signin': 'Masz już członkostwo? Zaloguj się',
  'home.erased': 'Twoje dane zostały usunięte. Dziękujemy za udział w organizacji.',
  'home.left': 'Twoje członkostwo w organizacji zostało zakończone. Zawsze możesz wrócić.',
  'home.what.title': 'Czym się zajmujemy',
  'home.what.1': 'Rodzice decydują, na co wydać budżet na wczesne dzieciństwo przekazany organizacji.',
  'home.what.2': 'Wolontariuszki i wolontariusze szkolą się, zdobywają uprawnienia i wchodzą na kolejne szczeble zaangażowania.',
  'home.what.3': 'Liderki i liderzy ulic zgłaszają to, co widzą w swojej okolicy.',
  'home.what.4': 'Każdy okręg ma swój głos dzięki przedstawicielkom i przedstawicielom okręgu.',
  'home.wards.title': 'Nasze okręgi',
  'home.wards.body':
    'Liczba okręgów objętych działalnością organizacji: {count}. Mieszka w nich około {under5} dzieci poniżej 5 lat (szacunki ONS z połowy 2020 r.).',
  'home.wards.link': 'Zobacz okręgi na mapie',
  'home.nodata': 'Nie wczytano jeszcze okręgów dla tego obszaru.',
  'about.title': 'O tej stronie i jej danych',
  'about.lead':
    '{tenant} korzysta z Parent Mutual. Liczby na tej stronie pochodzą z publicznych źródeł wymienionych poniżej.',
  'about.wardsets.title': 'Zestawy okręgów',
  'about.wardsets.current': 'obecny',
  'about.wardsets.count': 'Liczba okręgów: {count}',
  'about.wardsets.valid': 'Obowiązuje od {from} do {to}',
  'about.wardsets.validOpen': 'Obowiązuje od {from}',
  'about.attribution.title': 'Źródła i licencje',
  'about.attribution.ons':
    'Źródło: Office for National Statistics (brytyjski urząd statystyczny), na licencji Open Government Licence v3.0.',
  'about.attribution.os2020':
    'Zawiera dane OS © Crown copyright and database right 2020 (granice okręgów 2015–2021, granica gminy).',
  'about.attribution.os2025': 'Zawiera dane OS © Crown copyright and database right 2025 (granice okręgów 2025).',
  'about.attribution.psi':
    'Zawiera informacje sektora publicznego na licencji Open Government Licence v3.0 (English Indices of Deprivation 2019, MHCLG).',
  'about.attribution.derived':
    'Sumy dla okręgów (ludność według szacunków ONS z połowy 2020 r., dzieci poniżej 5 lat, deprywacja) policzono z całych obszarów LSOA 2011: dla okręgów z lat 2015–2021 według dopasowania ONS, dla okręgów z 2025 r. metodą opisaną powyżej. W obu przypadkach są przybliżone.',
  'about.attribution.generalised': 'Granice są uproszczone: dobre do map, ale nie są granicami prawnymi.',
  'about.ogl': 'Open Government Licence v3.0',
  'wards.title': 'Okręgi',
  'wards.lead': 'Wszystkie okręgi obszaru {area}. Wybierz okręg na mapie lub w tabeli, aby zobaczyć dane.',
  'wards.map.label': 'Mapa okręgów: {set}',
  'wards.map.hint': 'Mapa wymaga JavaScriptu. Tabela poniżej zawiera te same okręgi.',
  'wards.table.caption': 'Okręgi: {set}',
  'wards.col.ward': 'Okręg',
  'wards.col.code': 'Kod',
  'wards.col.population': 'Ludność',
  'wards.col.under5': 'Dzieci poniżej 5 lat',
  'wards.col.deprivation': 'Najbardziej ubogi decyl',
  'wards.otherSets': 'Inne zestawy okręgów',
  'wards.viewSet': 'Zobacz: {set}',
  'wards.noneLoaded': 'Nie wczytano jeszcze okręgów dla tego obszaru.',
  'ward.title': 'Okręg {ward}',
  'ward.set': 'Zestaw okręgów: {set}',
  'ward.facts': 'Dane',
  'ward.facts.none': 'Dla tego zestawu okręgów nie ma danych statystycznych.',
  'ward.back': 'Wszystkie okręgi',
  'ward.map.label': 'Mapa okręgu {ward}',
  'map.zoomIn': 'Przybliż',
  'map.zoomOut': 'Oddal',
  'fact.population': 'Ludność (szacunek z połowy 2020 r.)',
  'fact.children_under_5': 'Dzieci poniżej 5 lat (szacunek z połowy 2020 r.)',
  'fact.pct_age0to4': 'Odsetek osób poniżej 5 lat',
  'fact.n_lsoa2011': 'Liczba osiedli (LSOA 2011) w okręgu',
  'fact.min_IMD2019_decile': 'Najbardziej ubogie osiedle, decyl krajowy (1 = 10% najbardziej ubogich)',
  'fact.n_lsoa_IMD2019_decile1': 'Osiedla wśród 10% najbardziej ubogich w Anglii',
  'fact.n_lsoa_IMD2019_decile1or2': 'Osiedla wśród 20% najbardziej ubogich w Anglii',
  'fact.pop_mid2020_age0to4_in_decile1or2_lsoas': 'Dzieci poniżej 5 lat mieszkające w 20% najbardziej ubogich osiedli',
  'fact.code': 'Kod ONS',
  'error.401.title': 'Zaloguj się',
  'error.401.body': 'Aby to zrobić, musisz się zalogować. Twoja sesja mogła wygasnąć.',
  'error.404.title': 'Nie znaleziono strony',
  'error.404.body': 'Nie znaleźliśmy tej strony. Sprawdź adres albo przejdź na stronę główną.',
  'error.500.title': 'Coś poszło nie tak',
  'error.500.body': 'Przepraszamy, wystąpił błąd po naszej stronie. Spróbuj ponownie za minutę. Numer zgłoszenia: {ref}',
  'error.403.title': 'Brak dostępu',
  'error.403.body': 'Ten formularz wygasł albo pochodzi z innej strony. Wróć, odśwież stronę i spróbuj ponownie.',
  'error.413.title': 'Za duże',
  'error.413.body': 'Przesłane dane są za duże. Wyślij mniejszy plik lub krótszy tekst.',
  'error.400.title': 'Formularz wymaga poprawek',
  'error.429.title': 'Zbyt wiele prób',
  'error.429.body': 'Odczekaj minutę i spróbuj ponownie.',
  'error.home': 'Przejdź na stronę główną',
  'error.unknownHost.title': 'Brak organizacji pod tym adresem',
  'error.unknownHost.body': 'Pod tym adresem nie działa żadna organizacja.',
  // Request edge: input refused before it reaches a page (src/server/middleware/input.ts).
  'error.input.nul': 'Przesłane dane zawierają znak NUL (\\0 lub %00), którego nie można zapisać. Usuń go i wyślij ponownie.',
  'error.input.form': 'Nie udało się odczytać formularza: został ucięty albo wysłany bez granicy multipart. Odśwież stronę i wyślij go ponownie.',
  'error.input.deep': 'Przesłany JSON jest zagnieżdżony zbyt głęboko (ponad {max} poziomów). Wyślij prostszy dokument.',
  'api.docs.title': 'API Parent Mutual',
  'api.docs.lead': 'Wersja 1 API JSON. Dokument OpenAPI do odczytu maszynowego znajduje się pod adresem {url}.',
  'api.docs.request': 'Treść żądania',
  'api.docs.responses': 'Odpowiedzi',
  'api.docs.params': 'Parametry',
  'number.notAvailable': 'brak danych',
  // UI and area (issue 7, items 20–21): privacy notice footer and contact, 2025 wards, phone tables.
  'site.footer.privacy': 'Informacja o prywatności',
  'fact.pct_area_in_former_corby_borough': 'Część powierzchni okręgu leżąca w dawnym okręgu miejskim Corby',
  'wards.partial':
    'Niektóre okręgi wychodzą poza obszar {area}. Ich dane obejmują tylko osiedla leżące w jego granicach: udział powierzchni podano na stronie każdego okręgu.',
  'about.method.title': 'Jak obliczono dane okręgów',
  'about.method.2025':
    'Okręgi z 2025 r.: każde osiedle (LSOA z 2011 r.) dawnego okręgu miejskiego Corby przypisano w całości do okręgu z 2025 r., w którym leży największa część jego powierzchni (najlepsze dopasowanie według największego pokrycia, mierzone na siatce punktów co ok. 25 m). Ludność, liczba dzieci poniżej 5 lat i dane o ubóstwie okręgu to sumy jego osiedli, więc okręgi sumują się dokładnie do wartości dla osiedli. Okręgi wychodzące poza dawny okręg miejski obejmują tylko część leżącą w jego granicach.',
  'about.method.remap':
    'Gdy okręgi z 2025 r. stały się obowiązujące, każdą osobę członkowską i każdą osobę reprezentującą okręg z lat 2015–2021 przeniesiono do okręgu z 2025 r., w którym mieszka większość ludności dawnego okręgu (mierzone na tej samej siatce, każdy punkt ważony liczbą mieszkańców osiedla). Każde przeniesienie zapisano w dzienniku zdarzeń.',
  'about.method.script': 'Dane i oba zestawienia tworzy skrypt scripts/corby-ward-fit.ts w kodzie źródłowym Parent Mutual.',
  'privacy.controller': 'Administratorem danych podanych na tej stronie jest {tenant}.',
  'privacy.contact.title': 'Jak się z nami skontaktować',
  'privacy.contact.email': 'E-mail',
  'privacy.contact.address': 'Adres pocztowy',
  'privacy.contact.missing': 'Do uzupełnienia przez organizację: adres e-mail i adres pocztowy do pytań o Twoje dane.',
  'privacy.complain.title': 'Jak złożyć skargę',
  'privacy.complain.body':
    'Jeśli nie podoba Ci się sposób, w jaki korzystamy z Twoich danych, najpierw daj nam znać. Masz też prawo złożyć skargę do Information Commissioner’s Office (ICO), brytyjskiego organu ochrony danych.',
  'privacy.complain.web': 'Złóż skargę do ICO przez internet na ico.org.uk',
  'privacy.complain.phone': 'Infolinia ICO: 0303 123 1113 (w języku angielskim)',
  'privacy.complain.post': 'Information Commissioner’s Office, Wycliffe House, Water Lane, Wilmslow, Cheshire SK9 5AF',
  'api.docs.schemas': 'Schematy',
  'api.docs.required': 'wymagany',
  'api.docs.showSchema': 'Pokaż schemat',
};

/** The site's strings, for the duplicate-key test. */
export const corePl: Record<keyof CoreMessages, string> = core;

/**
 * The whole Polish catalogue: the site's strings and every module's `messages.pl`. Each module's pl
 * is typed `Record<keyof en, string>` by `messages()` (src/modules/manifest.ts), so a missing key
 * fails the compile there; assembled on first use for the reason given in en.ts.
 */
export const pl: Record<MessageKey, string> = lazyCatalogue(() => Object.assign({}, core, ...MODULES.map((m) => ('messages' in m ? m.messages.pl : {}))) as Record<MessageKey, string>);

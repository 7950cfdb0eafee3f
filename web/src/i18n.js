// The page's words, in French (the default) and English. t('key', {n: 3})
// replaces {n}; a missing English word falls back to French, a missing key
// shows itself so it is noticed.
const fr = {
  skip: 'Aller au contenu',
  dashboardNav: 'Tableau de bord',
  deskNav: 'Magasin',
  title: 'Tableau de bord',
  signOut: 'Se déconnecter',
  signinTitle: 'Connexion au tableau de bord',
  tokenLabel: "Jeton d'accès",
  signIn: 'Se connecter',
  tokenWhereTitle: 'Où trouver mon jeton ?',
  tokenWhere1:
    "Le jeton est une longue suite de lettres et de chiffres qui vous est personnelle. Demandez-le à l'administrateur de Parc ou au service informatique (logistique).",
  tokenWhere2: "L'administrateur le crée avec la commande :",
  tokenWhere3:
    "Il ne s'affiche qu'une seule fois : copiez-le et gardez-le comme un mot de passe. Ne le transmettez pas par courriel.",
  yourName: 'votre-nom',
  tokenRefused: "Ce jeton n'est pas reconnu (ou il a expiré). Vérifiez-le, ou demandez-en un nouveau.",
  tokenEmpty: 'Collez votre jeton dans le champ ci-dessus.',
  signedInAs: '{name} ({role})',
  tokenExpiresSoon:
    "Votre jeton expire le {date}. Demandez-en un nouveau à l'administrateur avant cette date.",
  dashboardTitle: "Le parc et la formation en un coup d'œil",
  filtersTitle: 'Filtres',
  department: 'Service',
  site: 'Site',
  kind: "Type d'appareil",
  wave: 'Vague',
  advisor: 'Conseiller',
  silentFor: 'Silencieux depuis',
  days: '{n} jours',
  all: 'Toutes',
  allMasc: 'Tous',
  resetFilters: 'Tout afficher',
  overview: "Vue d'ensemble",
  chartsTitle: 'En images',
  tablesTitle: 'Le détail',
  footer: 'Parc — données du serveur parcd, mises à jour à chaque chargement.',
  updatedAt: 'Mis à jour à {time}.',
  loading: 'Chargement…',
  loaded: 'Tableau de bord à jour.',
  loadFailed: 'Les données ne sont pas disponibles : {why}',
  forbidden: "Vous n'avez pas accès à ce service.",
  sessionEnded: 'Votre session a expiré : reconnectez-vous.',
  signedOut: 'Vous êtes déconnecté.',
  none: '(aucun)',
  noDepartment: '(sans service)',
  noSite: '(sans site)',
  noRows: 'Rien à signaler.',
  // cards
  cardDevices: 'Appareils',
  cardDevicesSub: 'dont {stock} en stock, {repair} en réparation',
  cardAssigned: 'Attribués',
  cardAssignedSub: '{percent} du parc : {personal} personnels, {pools} en pool de site, {loan} en prêt',
  cardStale: 'Silencieux',
  cardStaleSub: 'pas de nouvelles depuis {days} jours, dont {never} jamais connectés',
  cardEquipped: 'Agents ciblés équipés',
  cardEquippedSub: 'sur {targeted} agents ciblés ({percent})',
  cardTrained: 'Formés',
  cardTrainedSub: 'ont terminé un module, sur {targeted} ciblés ; {started} ont commencé',
  // states and kinds
  personal: 'Attribution personnelle',
  pools: 'Pool de site',
  loan: 'En prêt',
  stock: 'En stock',
  repair: 'En réparation',
  lost: 'Perdus',
  retired: 'Retirés',
  total: 'Total',
  kind_DEVICE_KIND_TABLET: 'Tablette',
  kind_DEVICE_KIND_SMARTPHONE: 'Smartphone',
  kind_DEVICE_KIND_SHARED_PC: 'PC partagé',
  lifecycle_LIFECYCLE_IN_STOCK: 'En stock',
  lifecycle_LIFECYCLE_ASSIGNED: 'Attribué',
  lifecycle_LIFECYCLE_IN_REPAIR: 'En réparation',
  lifecycle_LIFECYCLE_LOST: 'Perdu',
  lifecycle_LIFECYCLE_RETIRED: 'Retiré',
  role_ROLE_ADMIN: 'administrateur',
  role_ROLE_LOGISTICS: 'logistique',
  role_ROLE_ADVISOR: 'conseiller',
  role_ROLE_MANAGER: 'responsable',
  role_ROLE_AUDITOR: 'auditeur',
  // charts
  chartStates: 'Où sont les appareils',
  chartStatesAlt: 'Répartition des {total} appareils : {list}.',
  chartCoverage: 'Agents ciblés équipés, par service',
  chartCoverageAlt: 'Par service, agents ciblés équipés et non équipés : {list}.',
  chartFunnel: 'Parcours de formation',
  chartFunnelAlt: 'Agents à chaque étape : {list}.',
  chartHealth: 'Points à surveiller sur les appareils',
  chartHealthAlt: 'Appareils enrôlés concernés : {list}.',
  showData: 'Voir les chiffres',
  legendItem: '{label} : {n}',
  chartEmpty: 'Rien à signaler pour le moment : tous les compteurs sont à zéro.',
  equipped: 'Équipés',
  notEquipped: 'Non équipés',
  targeted: 'Ciblés',
  assessed: 'Évalués (Pix)',
  assigned: 'Module attribué',
  started: 'Commencé',
  completed: 'Terminé',
  enrolled: 'Enrôlés',
  lowBattery: 'Batterie faible',
  lowStorage: 'Stockage presque plein',
  outdatedOs: 'Système pas à jour',
  outdatedAgent: 'Agent Parc pas à jour',
  neverCheckedIn: 'Jamais connectés',
  usedBySomeoneElse: "Utilisés par quelqu'un d'autre",
  percentEquipped: '% équipés',
  // tables
  csv: 'Télécharger (CSV)',
  csvLabel: 'Télécharger « {title} » au format CSV',
  scrollTable: 'Tableau « {title} », défilable',
  tableDevices: 'Appareils par service',
  tableCoverage: 'Agents ciblés équipés, par service',
  tableStale: 'Appareils silencieux',
  tableStaleCaption: '{total} appareils sans nouvelles depuis {days} jours ; les plus anciens en premier ({shown} affichés).',
  tableHealth: 'État des appareils, par service',
  tableFunnel: 'Formation',
  tableFunnelBy: 'Regrouper par',
  byDepartment: 'Service',
  byAdvisor: 'Conseiller',
  byWave: 'Vague',
  byTier: 'Niveau Pix',
  tableOverdue: 'Prêts en retard',
  tableOverdueCaption: '{total} prêts dépassent leur date de retour ({shown} affichés).',
  serial: 'N° de série',
  assetTag: "N° d'inventaire",
  lastUser: 'Dernier utilisateur',
  lastSeen: 'Vu pour la dernière fois',
  never: 'jamais',
  daysSilent: 'Jours de silence',
  battery: 'Batterie',
  employee: 'Matricule',
  name: 'Nom',
  dueDate: 'À rendre le',
  daysOverdue: 'Jours de retard',
};

const en = {
  dashboardNav: 'Dashboard',
  deskNav: 'IT stores',
  skip: 'Skip to content',
  title: 'Dashboard',
  signOut: 'Sign out',
  signinTitle: 'Sign in to the dashboard',
  tokenLabel: 'Access token',
  signIn: 'Sign in',
  tokenWhereTitle: 'Where do I get my token?',
  tokenWhere1:
    'The token is a long string of letters and digits, personal to you. Ask the Parc administrator or IT logistics for one.',
  tokenWhere2: 'The administrator creates it with the command:',
  tokenWhere3: 'It is shown only once: copy it and keep it like a password. Do not send it by email.',
  yourName: 'your-name',
  tokenRefused: 'This token is not recognised (or it has expired). Check it, or ask for a new one.',
  tokenEmpty: 'Paste your token in the field above.',
  signedInAs: '{name} ({role})',
  tokenExpiresSoon: 'Your token expires on {date}. Ask the administrator for a new one before then.',
  dashboardTitle: 'The fleet and the training at a glance',
  filtersTitle: 'Filters',
  department: 'Department',
  site: 'Site',
  kind: 'Device kind',
  wave: 'Wave',
  advisor: 'Advisor',
  silentFor: 'Silent for',
  days: '{n} days',
  all: 'All',
  allMasc: 'All',
  resetFilters: 'Show everything',
  overview: 'Overview',
  chartsTitle: 'At a glance',
  tablesTitle: 'In detail',
  footer: 'Parc — data from the parcd server, refreshed on every load.',
  updatedAt: 'Updated at {time}.',
  loading: 'Loading…',
  loaded: 'Dashboard up to date.',
  loadFailed: 'The data is not available: {why}',
  forbidden: 'You do not have access to this department.',
  sessionEnded: 'Your session has expired: please sign in again.',
  signedOut: 'You are signed out.',
  none: '(none)',
  noDepartment: '(no department)',
  noSite: '(no site)',
  noRows: 'Nothing to report.',
  cardDevices: 'Devices',
  cardDevicesSub: '{stock} in stock, {repair} in repair',
  cardAssigned: 'Assigned',
  cardAssignedSub: '{percent} of the fleet: {personal} personal, {pools} in site pools, {loan} on loan',
  cardStale: 'Silent',
  cardStaleSub: 'not heard from for {days} days, {never} never checked in',
  cardEquipped: 'Targeted staff equipped',
  cardEquippedSub: 'of {targeted} targeted staff ({percent})',
  cardTrained: 'Trained',
  cardTrainedSub: 'completed a module, of {targeted} targeted; {started} started',
  personal: 'Personal',
  pools: 'Site pool',
  loan: 'On loan',
  stock: 'In stock',
  repair: 'In repair',
  lost: 'Lost',
  retired: 'Retired',
  kind_DEVICE_KIND_TABLET: 'Tablet',
  kind_DEVICE_KIND_SMARTPHONE: 'Smartphone',
  kind_DEVICE_KIND_SHARED_PC: 'Shared PC',
  lifecycle_LIFECYCLE_IN_STOCK: 'In stock',
  lifecycle_LIFECYCLE_ASSIGNED: 'Assigned',
  lifecycle_LIFECYCLE_IN_REPAIR: 'In repair',
  lifecycle_LIFECYCLE_LOST: 'Lost',
  lifecycle_LIFECYCLE_RETIRED: 'Retired',
  role_ROLE_ADMIN: 'admin',
  role_ROLE_LOGISTICS: 'logistics',
  role_ROLE_ADVISOR: 'advisor',
  role_ROLE_MANAGER: 'manager',
  role_ROLE_AUDITOR: 'auditor',
  chartStates: 'Where the devices are',
  chartStatesAlt: 'The {total} devices: {list}.',
  chartCoverage: 'Targeted staff equipped, by department',
  chartCoverageAlt: 'By department, targeted staff equipped and not equipped: {list}.',
  chartFunnel: 'Training path',
  chartFunnelAlt: 'Staff at each stage: {list}.',
  chartHealth: 'Device issues to watch',
  chartHealthAlt: 'Enrolled devices affected: {list}.',
  showData: 'Show the figures',
  legendItem: '{label}: {n}',
  chartEmpty: 'Nothing to report yet: every count is zero.',
  equipped: 'Equipped',
  notEquipped: 'Not equipped',
  targeted: 'Targeted',
  assessed: 'Assessed (Pix)',
  assigned: 'Module assigned',
  started: 'Started',
  completed: 'Completed',
  enrolled: 'Enrolled',
  lowBattery: 'Low battery',
  lowStorage: 'Storage almost full',
  outdatedOs: 'Outdated OS',
  outdatedAgent: 'Outdated Parc agent',
  neverCheckedIn: 'Never checked in',
  usedBySomeoneElse: 'Used by someone else',
  percentEquipped: '% equipped',
  csv: 'Download (CSV)',
  csvLabel: 'Download “{title}” as CSV',
  scrollTable: 'Table “{title}”, scrollable',
  tableDevices: 'Devices by department',
  tableCoverage: 'Targeted staff equipped, by department',
  tableStale: 'Silent devices',
  tableStaleCaption: '{total} devices not heard from for {days} days; oldest first ({shown} shown).',
  tableHealth: 'Device health, by department',
  tableFunnel: 'Training',
  tableFunnelBy: 'Group by',
  byDepartment: 'Department',
  byAdvisor: 'Advisor',
  byWave: 'Wave',
  byTier: 'Pix tier',
  tableOverdue: 'Overdue loans',
  tableOverdueCaption: '{total} loans are past their return date ({shown} shown).',
  serial: 'Serial',
  assetTag: 'Asset tag',
  lastUser: 'Last user',
  lastSeen: 'Last seen',
  never: 'never',
  daysSilent: 'Days silent',
  battery: 'Battery',
  employee: 'Employee no.',
  name: 'Name',
  dueDate: 'Due',
  daysOverdue: 'Days overdue',
};

const dictionaries = { fr, en };
const STORAGE_KEY = 'parc.lang';
let current = 'fr';

export function initialLanguage() {
  const asked = new URLSearchParams(location.search).get('lang');
  let saved = null;
  try {
    saved = localStorage.getItem(STORAGE_KEY);
  } catch {
    // storage disabled: French, as for everyone else
  }
  const lang = [asked, saved].find((l) => l in dictionaries) || 'fr';
  setLanguage(lang, false);
  return lang;
}

export function setLanguage(lang, remember = true) {
  current = lang in dictionaries ? lang : 'fr';
  document.documentElement.lang = current;
  if (remember) {
    try {
      localStorage.setItem(STORAGE_KEY, current);
    } catch {
      // not remembered; the page still switches
    }
  }
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const b of document.querySelectorAll('[data-lang]')) {
    b.setAttribute('aria-pressed', String(b.dataset.lang === current));
  }
  document.title = `Parc — ${t('title')}`;
}

export function language() {
  return current;
}

export function t(key, vars = {}) {
  const text = dictionaries[current][key] ?? fr[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in vars ? String(vars[name]) : `{${name}}`));
}

const numberFormats = {};
export function num(n) {
  numberFormats[current] ??= new Intl.NumberFormat(current === 'fr' ? 'fr-FR' : 'en-GB');
  return numberFormats[current].format(n);
}

export function percent(p) {
  return new Intl.NumberFormat(current === 'fr' ? 'fr-FR' : 'en-GB', {
    style: 'percent',
    maximumFractionDigits: 1,
    minimumFractionDigits: 1,
  }).format(p / 100);
}

// The desk's words (French first; English where the dashboard has its switch).
import { el } from '../dom.js';

export const fr = {
  deskNav: 'Magasin',
  dashboardNav: 'Tableau de bord',
  deskTitle: 'Magasin informatique',
  searchLabel: 'Chercher un appareil ou une personne',
  searchHelp: 'Numéro de série, numéro d’inventaire, modèle, matricule, nom ou service. Les accents ne comptent pas.',
  searchNone: 'Rien ne correspond à « {q} ».',
  devices: 'Appareils',
  people: 'Personnes',
  overdueNav: 'Prêts en retard',
  importNav: 'Importer un fichier',
  enrollNav: 'Fiche d’inscription',
  back: 'Retour au magasin',
  lifecycle_LIFECYCLE_IN_STOCK: 'En stock',
  lifecycle_LIFECYCLE_ASSIGNED: 'Remis',
  lifecycle_LIFECYCLE_IN_REPAIR: 'En réparation',
  lifecycle_LIFECYCLE_LOST: 'Perdu',
  lifecycle_LIFECYCLE_RETIRED: 'Réformé',
  lifecycle_LIFECYCLE_UNSPECIFIED: 'Inconnu',
  kind_DEVICE_KIND_TABLET: 'Tablette',
  kind_DEVICE_KIND_SMARTPHONE: 'Smartphone',
  kind_DEVICE_KIND_SHARED_PC: 'PC partagé',
  kind_DEVICE_KIND_UNSPECIFIED: 'Appareil',
  serial: 'Numéro de série',
  assetTag: 'Numéro d’inventaire',
  model: 'Modèle',
  site: 'Site',
  department: 'Service',
  state: 'État',
  holder: 'Qui l’a',
  since: 'depuis le {date}',
  due: 'À rendre le {date}',
  nobody: 'Personne',
  sitePool: 'Le pool du site {site}',
  lastSeen: 'Dernier contact',
  never: 'Jamais',
  battery: 'Batterie {n} %',
  history: 'Historique',
  noHistory: 'Aucun mouvement.',
  givenTo: 'Remis à {who}',
  lentTo: 'Prêté à {who} jusqu’au {date}',
  pooledAt: 'Mis dans le pool du site {site}',
  returnedAs: 'Rendu le {date} ({to}) : {condition}',
  by: 'par {who}',
  holderTraining: 'Formation de {who}',
  actions: 'Que faire ?',
  giveToPerson: 'Remettre à une personne',
  giveToSite: 'Mettre dans le pool d’un site',
  lend: 'Prêter jusqu’à une date',
  takeBack: 'Reprendre l’appareil',
  retire: 'Réformer (fin de vie)',
  backToStock: 'Remettre en stock',
  toRepair: 'Envoyer en réparation',
  employeeNumber: 'Matricule de la personne',
  dueDate: 'À rendre le',
  condition: 'État de l’appareil au retour',
  conditionHelp: 'Par exemple : écran fissuré, chargeur manquant, bon état.',
  goesTo: 'L’appareil va',
  to_LIFECYCLE_IN_STOCK: 'en stock',
  to_LIFECYCLE_IN_REPAIR: 'en réparation',
  to_LIFECYCLE_LOST: 'dans les perdus',
  reason: 'Pourquoi ?',
  check: 'Vérifier',
  confirm: 'Confirmer',
  cancel: 'Annuler',
  willHappen: 'Ce qui va se passer :',
  willGive: '{device} sera remis à {who}. Il n’y aura plus d’appareil en stock sous ce numéro.',
  willLend: '{device} sera prêté à {who} jusqu’au {date}. Il apparaîtra dans les retards après cette date.',
  willPool: '{device} ira dans le pool du site {site}.',
  willReturn: '{device} sera repris à {who} et ira {to}. État noté : « {condition} ».',
  willRetire: '{device} sera réformé. C’est définitif : il ne pourra plus être remis.',
  willStock: '{device} sera remis en stock.',
  willRepair: '{device} partira en réparation.',
  done: 'C’est fait.',
  // Refusals (refusal() below): one plain sentence; the server's own words
  // go, smaller, on a second line for whoever helps.
  refusedDetail: 'Détail pour l’assistance : {why}',
  err_default: 'Le serveur a refusé. Vérifiez ce qui est saisi et réessayez.',
  err_network: 'Le serveur ne répond pas. Vérifiez la connexion réseau, puis réessayez.',
  err_UNAUTHENTICATED: 'Votre session a pris fin. Reconnectez-vous avec votre jeton, puis recommencez.',
  err_PERMISSION_DENIED: 'Vous n’avez pas le droit de faire cela.',
  err_PERMISSION_DENIED_scope: 'Cette personne ou cet appareil dépend d’un service qui n’est pas le vôtre.',
  err_PERMISSION_DENIED_csrf: 'La page n’est plus à jour. Rechargez-la, puis recommencez.',
  err_NOT_FOUND: 'Introuvable. Vérifiez le numéro saisi.',
  err_NOT_FOUND_employee_number: 'Aucune personne n’a ce matricule dans Parc. Vérifiez le numéro.',
  err_NOT_FOUND_device: 'Aucun appareil n’a ce numéro d’inventaire ou de série. Vérifiez l’étiquette.',
  err_NOT_FOUND_site: 'Ce site n’existe pas dans Parc. Vérifiez son code.',
  err_NOT_FOUND_sha256: 'Ce bon n’est plus disponible.',
  err_NOT_FOUND_allocation_id: 'Ce mouvement n’est pas dans l’historique.',
  err_INVALID_ARGUMENT: 'Une information ne va pas : {field}. Corrigez-la, puis réessayez.',
  err_INVALID_ARGUMENT_plain: 'Une information ne va pas. Vérifiez le formulaire, puis réessayez.',
  err_INVALID_ARGUMENT_due_date: 'La date de retour ne va pas : choisissez un jour à venir.',
  err_INVALID_ARGUMENT_employee_number: 'Indiquez le matricule de la personne.',
  err_INVALID_ARGUMENT_device: 'Indiquez le numéro d’inventaire ou de série de l’appareil.',
  err_INVALID_ARGUMENT_signature_png: 'La signature n’a pas pu être enregistrée. Effacez, faites signer à nouveau.',
  err_INVALID_ARGUMENT_pdf: 'Le bon n’a pas pu être fabriqué. Réessayez ; si cela recommence, prévenez l’administrateur.',
  err_ALREADY_EXISTS: 'Cela existe déjà dans Parc.',
  err_ALREADY_EXISTS_kind: 'Ce bon est déjà signé et enregistré.',
  err_FAILED_PRECONDITION: 'Ce n’est pas possible dans l’état actuel de l’appareil ou de la personne.',
  err_RESOURCE_EXHAUSTED: 'Trop de demandes ou un fichier trop gros. Attendez un moment, ou envoyez un fichier plus petit.',
  err_UNAVAILABLE: 'Le serveur ne peut pas enregistrer pour l’instant. Réessayez dans un moment.',
  err_DEADLINE_EXCEEDED: 'Le serveur a mis trop de temps à répondre. Réessayez dans un moment.',
  err_INTERNAL: 'Le serveur a rencontré une erreur. Réessayez ; si cela recommence, prévenez l’administrateur.',
  pre_assigned: 'Cet appareil est déjà remis à quelqu’un : reprenez-le d’abord.',
  pre_retired: 'Cet appareil est réformé : il ne peut plus être remis ni changer d’état.',
  pre_in_repair: 'Cet appareil est en réparation : remettez-le en stock avant de le remettre.',
  pre_lost: 'Cet appareil est noté perdu : remettez-le en stock avant de le remettre.',
  pre_left: 'Cette personne a quitté la collectivité : on ne peut plus lui remettre d’appareil.',
  pre_not_assigned: 'Cet appareil n’est remis à personne : il n’y a rien à reprendre.',
  pre_same_state: 'L’appareil est déjà dans cet état.',
  pre_return_first: 'Cet appareil est remis à quelqu’un : reprenez-le d’abord.',
  pre_still_holds: 'Cette personne a encore des appareils : reprenez-les d’abord.',
  pre_pool: 'Un appareil du pool d’un site n’a pas de bon : seule une personne signe.',
  pre_receipt_open: 'Le bon de retour se fait une fois l’appareil repris.',
  field_due_date: 'la date de retour',
  field_employee_number: 'le matricule',
  field_device: 'l’appareil',
  field_site: 'le site',
  field_condition: 'l’état au retour',
  field_to: 'où va l’appareil',
  field_reason: 'la raison',
  field_uses: 'le nombre d’appareils',
  field_ttl_seconds: 'la durée de validité',
  field_query: 'la recherche',
  field_csv: 'le fichier',
  field_header: 'les titres de colonnes du fichier',
  field_lifecycle: 'l’état de l’appareil',
  field_kind: 'le type d’appareil',
  person: 'Personne',
  email: 'Adresse électronique',
  yes: 'Oui',
  no: 'Non, pas d’adresse',
  pixTier: 'Niveau Pix',
  noTier: 'Pas encore évalué',
  training: 'Formation',
  noTraining: 'Aucun module suivi.',
  moduleDone: '{module} : terminé',
  moduleOpen: '{module} : {done} sur {total} étapes',
  devicesOf: 'Ses appareils',
  current: 'en cours',
  giveDeviceToPerson: 'Lui remettre un appareil',
  deviceKey: 'Numéro d’inventaire ou de série de l’appareil',
  overdueTitle: 'Prêts en retard',
  overdueNone: 'Aucun prêt en retard.',
  daysLate: '{n} jour(s) de retard',
  overdueHelp: 'Appelez la personne, ou son responsable. Imprimez la liste pour la suivre au téléphone.',
  overdueCount: '{n} prêt(s) en retard.',
  overduePrinted: 'Prêts en retard au {date} : {n}',
  followUp: 'Suite donnée',
  phone: 'Téléphone',
  manager: 'Responsable',
  personAndPhone: 'Personne et téléphone',
  managerAndPhone: 'Responsable et téléphone',
  loan: 'Prêt',
  dueOn: 'à rendre le {date}',
  managerNotInParc: 'matricule {n} (pas dans Parc)',
  departmentAndSite: 'Service et site',
  advisor: 'Conseiller',
  print: 'Imprimer',
  importTitle: 'Importer une livraison ou une liste du personnel',
  importWhat: 'Ce que contient le fichier',
  importDevices: 'Des appareils',
  importAgents: 'Des personnes',
  importFile: 'Fichier CSV (tableur)',
  dryRun: 'Voir ce qui changera',
  apply: 'Tout enregistrer',
  dryRunResult: 'Si vous enregistrez : {created} créé(s), {updated} modifié(s), {unchanged} sans changement.',
  problems: 'Lignes refusées ({n}) : rien ne sera enregistré tant qu’elles restent.',
  line: 'Ligne {n}',
  applied: 'Enregistré : {created} créé(s), {updated} modifié(s).',
  enrollTitle: 'Fiche d’inscription des tablettes',
  enrollKind: 'Type d’appareil',
  enrollUses: 'Nombre d’appareils',
  enrollDays: 'Valable (jours)',
  enrollCreate: 'Créer la fiche',
  enrollSheetTitle: 'Inscrire un appareil — {site}',
  enrollStep1: 'Allumez l’appareil et connectez-le au Wi-Fi.',
  enrollStep2: 'Ouvrez l’appareil photo et visez ce code.',
  enrollStep3: 'Ouvrez le lien proposé : l’application « Apprendre » s’installe.',
  enrollOrType: 'Ou tapez ce code :',
  enrollExpires: 'Valable jusqu’au {date}, pour {n} appareil(s).',
  anySite: 'Tous les sites',
  loading: 'Chargement…',
  scan: 'Scanner une étiquette',
  scanTitle: 'Scanner',
  scanVideo: 'Image de l’appareil photo',
  scanStarting: 'Ouverture de l’appareil photo…',
  scanAim: 'Visez le code QR ou le code-barres de l’étiquette.',
  scanClose: 'Fermer l’appareil photo',
  scanNoCamera: 'L’appareil photo ne s’ouvre pas : {why}',
  labelsNav: 'Étiquettes',
  labelsTitle: 'Étiquettes d’inventaire à imprimer',
  labelsOfImport: 'Imprimer leurs étiquettes',
  labelsList: 'Appareils (un numéro de série ou d’inventaire par ligne)',
  labelsListHelp: 'Chaque étiquette porte le nom de la ville, le numéro d’inventaire, le numéro de série et un code QR qui ouvre la fiche de l’appareil.',
  labelsSheet: 'Planche A4',
  sheet_3x8: '24 étiquettes (3 × 8, 63,5 × 33,9 mm)',
  sheet_2x7: '14 étiquettes (2 × 7, 99,1 × 38,1 mm)',
  labelsCity: 'Nom de la ville ou de l’organisme',
  labelsMake: 'Créer le PDF',
  labelsReady: 'PDF prêt : {n} étiquette(s).',
  labelsDownload: 'Télécharger les étiquettes (PDF)',
  receiptTitle_remise: 'Bon de remise de matériel',
  receiptTitle_retour: 'Bon de retour de matériel',
  receiptShow: 'Tournez l’écran vers la personne : elle relit, puis signe avec le doigt dans le cadre.',
  receiptPerson: 'Personne',
  receiptNumber: 'matricule {n}',
  receiptWhat: 'Matériel',
  receiptDate: 'Date',
  receiptAgent: 'Agent du magasin',
  receiptStatement_remise: 'Je reconnais avoir reçu ce matériel. Je m’engage à en prendre soin et à le rendre au magasin informatique quand on me le demande.',
  receiptStatement_retour: 'J’ai rendu ce matériel au magasin informatique, dans l’état noté ci-dessus.',
  receiptSignTitle: 'Signature',
  receiptPadLabel: 'Cadre de signature de {who}',
  receiptPadHelp: 'Signez avec le doigt dans le cadre. « Effacer » pour recommencer.',
  receiptSave: 'Enregistrer le bon signé',
  receiptClear: 'Effacer',
  receiptLater: 'Plus tard, sans bon',
  receiptSignFirst: 'Il faut d’abord signer dans le cadre. Si la personne ne peut pas signer sur l’écran, choisissez « Plus tard, sans bon ».',
  receiptSaving: 'Enregistrement du bon…',
  receiptSignedBy: 'Signature de {who}',
  receiptFooter: 'Établi avec Parc le {date}, mouvement n° {id}. Le magasin informatique garde ce bon et la signature avec l’historique de l’appareil.',
  receiptSaved_remise: 'Bon de remise signé et enregistré.',
  receiptSaved_retour: 'Bon de retour signé et enregistré.',
  receiptLaterSaid: 'Pas de bon pour l’instant : vous pourrez le faire signer depuis l’historique.',
  receiptSigned_remise: 'Bon de remise signé le {date}.',
  receiptSigned_retour: 'Bon de retour signé le {date}.',
  receiptDownload_remise: 'Télécharger le bon de remise (PDF)',
  receiptDownload_retour: 'Télécharger le bon de retour (PDF)',
  receiptMake_remise: 'Faire signer le bon de remise',
  receiptMake_retour: 'Faire signer le bon de retour',
  receiptNoAllocation: 'ce mouvement n’est pas dans l’historique de l’appareil',
};

export const en = {
  deskNav: 'Stores',
  dashboardNav: 'Dashboard',
  deskTitle: 'IT stores desk',
  searchLabel: 'Find a device or a person',
  back: 'Back to the desk',
  receiptTitle_remise: 'Handover receipt',
  receiptTitle_retour: 'Return receipt',
  receiptShow: 'Turn the screen to the person: they read it, then sign in the box with a finger.',
  receiptSignTitle: 'Signature',
  receiptPadHelp: 'Sign in the box with a finger. “Clear” to start again.',
  receiptSave: 'Save the signed receipt',
  receiptClear: 'Clear',
  receiptLater: 'Later, no receipt',
  receiptSignFirst: 'Sign in the box first. If the person cannot sign on the screen, choose “Later, no receipt”.',
};


// The page's language as app.js set it (this bundle has its own i18n.js copy).
const english = () => document.documentElement.lang === 'en';

// w('key', {n: 3}): the desk's word in the page's language (French when missing).
export function w(key, vars = {}) {
  const text = (english() ? en[key] : undefined) ?? fr[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in vars ? String(vars[name]) : `{${name}}`));
}

// The field a refusal names: the server's INVALID_ARGUMENT and NOT_FOUND
// messages start with it ("due_date: in the past").
const fieldOf = (message) => /^([a-z_]+):/.exec(message ?? '')?.[1] ?? '';

// FAILED_PRECONDITION: the rule the server's message states (daemon/domain/
// allocation.cc, inventory.cc, receipts.cc), in the order they are tried.
const RULES = [
  [/already assigned/, 'pre_assigned'],
  [/is retired and cannot be assigned|stays retired/, 'pre_retired'],
  [/is in_repair and cannot be assigned/, 'pre_in_repair'],
  [/is lost and cannot be assigned/, 'pre_lost'],
  [/has left/, 'pre_left'],
  [/is not assigned/, 'pre_not_assigned'],
  [/is already (in_stock|in_repair|lost|retired)/, 'pre_same_state'],
  [/is assigned: return it first/, 'pre_return_first'],
  [/still holds/, 'pre_still_holds'],
  [/still open: take the device back/, 'pre_receipt_open'],
  [/is a site's pool/, 'pre_pool'],
];

// The key of the sentence for a refusal: by the code, then the field it
// names or the rule it states; a code not listed gets the generic sentence.
function refusalKey(error) {
  const code = error.code || '';
  const message = error.message ?? '';
  const field = fieldOf(message);
  if (!code) {
    if (error.status === 401) return 'err_UNAUTHENTICATED';
    if (error.status === 413 || error.status === 429) return 'err_RESOURCE_EXHAUSTED';
    return error.status ? 'err_default' : 'err_network';
  }
  if (code === 'PERMISSION_DENIED') {
    if (/csrf|another site/i.test(message)) return 'err_PERMISSION_DENIED_csrf';
    if (/outside your departments/.test(message)) return 'err_PERMISSION_DENIED_scope';
  }
  if (code === 'FAILED_PRECONDITION') {
    const rule = RULES.find(([pattern]) => pattern.test(message));
    if (rule) return rule[1];
  }
  if (field && `err_${code}_${field}` in fr) return `err_${code}_${field}`;
  if (code === 'INVALID_ARGUMENT') return `field_${field}` in fr ? 'err_INVALID_ARGUMENT' : 'err_INVALID_ARGUMENT_plain';
  if (code === 'UNKNOWN' || code === 'DATA_LOSS') return 'err_INTERNAL';
  return `err_${code}` in fr ? `err_${code}` : 'err_default';
}

// The server's refusal in plain French: { text, detail }. `text` is the
// sentence to show; `detail` is the server's own message (English, technical),
// for a second, smaller line.
export function refusal(error) {
  const key = refusalKey(error ?? {});
  const field = fieldOf(error?.message);
  const status = error?.status ? `HTTP ${error.status}` : '';
  const detail = [error?.code, status, error?.message].filter(Boolean).join(' — ');
  return { text: w(key, { field: field ? w(`field_${field}`) : '' }), detail };
}

// A refusal as shown: the sentence (announced), then the server's words in small.
export function refusalLines(error) {
  const { text, detail } = refusal(error);
  return [el('p', { class: 'error', role: 'alert' }, text), detail ? el('p', { class: 'desk-detail' }, w('refusedDetail', { why: detail })) : ''];
}

// "2026-12-07" or a protobuf Timestamp string as "7 décembre 2026".
export function day(value) {
  if (!value) return '';
  const date = new Date(value.length === 10 ? `${value}T12:00:00Z` : value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(english() ? 'en-GB' : 'fr-FR', { dateStyle: 'long', timeZone: 'UTC' }).format(date);
}

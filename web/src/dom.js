// Small DOM helpers: el('td', {class: 'num'}, '12') builds an element; text is
// always set as text, never parsed as HTML, so names from the data are safe.
import { t } from './i18n.js';

export function el(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of [].concat(children)) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// A department, site, advisor or wave as shown: the empty key gets a word.
export function keyLabel(key, emptyWord = 'none') {
  return key ? key : t(emptyWord);
}

// Departments are shown by the name people write ("État civil"), not their
// code (ETAT-CIVIL), once setDepartmentNames has the server's list.
const departmentNames = new Map();
export function setDepartmentNames(list) {
  departmentNames.clear();
  for (const { code, name } of list) if (code && name) departmentNames.set(code, name);
}
export function departmentLabel(code) {
  return departmentNames.get(code) ?? keyLabel(code, 'noDepartment');
}

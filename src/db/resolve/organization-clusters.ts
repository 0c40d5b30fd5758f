import { nameParts } from './name-keys.ts';

const nameKey = (form: string) => nameParts(form).full;

// Organizations across cables: records that share a form (name or alias, within one country)
// are one organization ("Privy Council Office (PCO)" in one cable, "PCO" in another).
// Connected components are independent of the order records arrive in.

export interface OrganizationRecord {
  /** cable_organization id. */
  id: number;
  name: string;
  aliases: string[];
  kind: string;
  countryCode: string | null;
  /** `${countryCode}|${normalized form}` for the name and each alias. */
  formKeys: string[];
}

export interface OrganizationCluster {
  key: string;
  name: string;
  aliases: string[];
  kind: string;
  countryCode: string | null;
  /** cable_organization ids. */
  members: number[];
  /** Every form key of the members: a record whose keys all fall in here joins without a new resolution. */
  formKeys: string[];
}

const isAcronym = (name: string) => !/[a-z]/.test(name) && !/\s/.test(name.trim());

/**
 * The display name: a spelled-out form before an acronym, the longest, then the first in
 * alphabetical order, among every form the records give (names and aliases). It depends on the
 * set of forms only, so a record that brings no new form never changes it.
 */
function displayName(forms: Set<string>): string {
  return [...forms].sort((a, b) => Number(isAcronym(a)) - Number(isAcronym(b)) || b.length - a.length || a.localeCompare(b))[0]!;
}

export function clusterOrganizations(records: OrganizationRecord[]): OrganizationCluster[] {
  const parent = new Map<string, string>();
  const find = (key: string): string => {
    let root = key;
    while (parent.get(root) !== root) root = parent.get(root)!;
    let node = key;
    while (node !== root) {
      const next = parent.get(node)!;
      parent.set(node, root);
      node = next;
    }
    return root;
  };
  const union = (a: string, b: string) => {
    const ra = find(a);
    const rb = find(b);
    // The smaller key becomes the root, so the result never depends on arrival order.
    if (ra !== rb) ra < rb ? parent.set(rb, ra) : parent.set(ra, rb);
  };
  for (const record of records) for (const key of record.formKeys) if (!parent.has(key)) parent.set(key, key);
  for (const record of records) for (const key of record.formKeys.slice(1)) union(record.formKeys[0]!, key);

  const groups = new Map<string, OrganizationRecord[]>();
  for (const record of records) {
    if (record.formKeys.length === 0) continue;
    const root = find(record.formKeys[0]!);
    const group = groups.get(root);
    if (group) group.push(record);
    else groups.set(root, [record]);
  }
  const clusters: OrganizationCluster[] = [];
  for (const members of groups.values()) {
    const forms = new Set<string>();
    const formKeys = new Set<string>();
    for (const member of members) {
      for (const form of [member.name, ...member.aliases]) forms.add(form);
      for (const key of member.formKeys) formKeys.add(key);
    }
    const name = displayName(forms);
    forms.delete(name);
    const sortedKeys = [...formKeys].sort();
    clusters.push({
      // The key of the display name's form: it names the cluster as long as the forms stand.
      key: sortedKeys.find((key) => key.endsWith(`|${nameKey(name)}`)) ?? sortedKeys[0]!,
      name,
      aliases: [...forms].sort(),
      // The first kind in alphabetical order: set-based, like the name.
      kind: [...new Set(members.map((m) => m.kind))].sort()[0]!,
      countryCode: members[0]!.countryCode,
      members: members.map((m) => m.id).sort((a, b) => a - b),
      formKeys: sortedKeys,
    });
  }
  return clusters.sort((a, b) => a.key.localeCompare(b.key));
}

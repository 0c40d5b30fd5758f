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
}

function mostCommon(values: string[], tieBreak: (a: string, b: string) => number): string {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || tieBreak(a[0], b[0]))[0]![0];
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
    groups.set(root, [...(groups.get(root) ?? []), record]);
  }
  const clusters: OrganizationCluster[] = [];
  for (const members of groups.values()) {
    // The display name: the most frequent full name (longer forms beat acronyms on a tie).
    const name = mostCommon(
      members.map((m) => m.name),
      (a, b) => b.length - a.length || a.localeCompare(b),
    );
    const forms = new Set<string>();
    for (const member of members) for (const form of [member.name, ...member.aliases]) forms.add(form);
    forms.delete(name);
    const countries = members.map((m) => m.countryCode).filter((c): c is string => Boolean(c));
    const keyOfName = members.find((m) => m.name === name)!.formKeys[0]!;
    clusters.push({
      key: keyOfName,
      name,
      aliases: [...forms].sort(),
      kind: mostCommon(
        members.map((m) => m.kind),
        (a, b) => a.localeCompare(b),
      ),
      countryCode: countries.length ? mostCommon(countries, (a, b) => a.localeCompare(b)) : null,
      members: members.map((m) => m.id).sort((a, b) => a - b),
    });
  }
  return clusters.sort((a, b) => a.key.localeCompare(b.key));
}

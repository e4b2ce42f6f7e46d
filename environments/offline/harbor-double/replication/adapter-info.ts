// What the double's two replication adapters declare (goharbor/harbor src/pkg/reg/adapter/native/adapter.go Info,
// src/pkg/reg/adapter/harbor/base/adapter.go Info@v2.15.2), as GET /registries/{id}/info shows it after the
// controller's process(): resource types merged into a `resource` radio filter, `event_based` added for id 0
// (src/controller/registry/controller.go GetInfo@v2.15.2). Harbor's image has more adapters
// (REPLICATION_ADAPTER_WHITELIST, make/photon/prepare/templates/core/env.jinja); the double implements these two,
// and an endpoint of another type is refused like an unregistered factory (a masked 500).

export const MODELLED_ADAPTERS = ['docker-registry', 'harbor'] as const;
export type AdapterType = (typeof MODELLED_ADAPTERS)[number];

export function isModelledAdapter(type: string): type is AdapterType {
  return (MODELLED_ADAPTERS as readonly string[]).includes(type);
}

export interface FilterStyle {
  type: string;
  style: string;
  values?: string[];
}

export interface RegistryInfo {
  type: string;
  description: string;
  supported_resource_filters: FilterStyle[];
  supported_triggers: string[];
  supported_copy_by_chunk?: boolean;
}

/** The info of an endpoint; `labels` are the global labels of a Harbor target (label filter values). */
export function registryInfo(type: AdapterType, isLocal: boolean, labels: string[] = []): RegistryInfo {
  const filters: FilterStyle[] = [
    { type: 'name', style: 'input' },
    { type: 'tag', style: 'input' },
  ];
  if (type === 'harbor')
    filters.push({ type: 'label', style: 'list', ...(labels.length > 0 ? { values: labels } : {}) });
  filters.push({ type: 'resource', style: 'radio', values: ['image'] });
  return {
    type,
    description: '',
    supported_resource_filters: filters,
    supported_triggers: ['manual', 'scheduled', ...(isLocal ? ['event_based'] : [])],
    ...(type === 'harbor' ? { supported_copy_by_chunk: true } : {}),
  };
}

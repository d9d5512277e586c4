export type FaultCategory =
  | 'schema'
  | 'semantics'
  | 'bounds'
  | 'errors'
  | 'auth'
  | 'api-version'
  | 'headers'
  | 'transport'
  | 'deployment'
  | 'streaming'
  | 'profile';

export interface Fault {
  id: string;
  category: FaultCategory;
  /** The rule it breaks, in one line. */
  breaks: string;
}

// The one error the importer raises for bad input: a one-line message a person can act on.
export class ImportError extends Error {
  override name = 'ImportError';
}

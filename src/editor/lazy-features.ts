// Loads the heavy half of the extension once, at first use, and owns its disposal.
import type * as vscode from 'vscode';
import type { FeatureBase, Features } from './features';

export function lazyFeatures(base: FeatureBase): () => Promise<Features> {
  let loading: Promise<Features> | undefined;
  return () => {
    loading ??= import('./features').then((m) => {
      const features = m.createFeatures(base);
      base.context.subscriptions.push(features as vscode.Disposable);
      base.log.info('features loaded');
      return features;
    });
    return loading;
  };
}

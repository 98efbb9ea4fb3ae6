// Registers the recovery panel's serializer at activation, so VS Code can hand back panels
// that were open before a reload; the panels themselves load with the features.
import * as vscode from 'vscode';
import { PANEL_VIEW_TYPE } from '../commands';
import type { LoadFeatures } from '../register-commands';

export function registerPanelSerializer(context: vscode.ExtensionContext, features: LoadFeatures): void {
  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state) => (await features()).panels.deserializeWebviewPanel(panel, state),
    }),
  );
}

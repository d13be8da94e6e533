// The SAE view: train sparse autoencoders on a toy model's hidden activations and watch whether
// their dictionaries find the true feature directions; plus Sharkey et al.'s benchmark grid.
// Its own store (saeStore) and workers (saeController); the live lab keeps running beside it.

import { useEffect } from 'react';
import { getSaeController } from '../../state/saeController.ts';
import { CosinePanel } from '../panels/sae/CosinePanel.tsx';
import { DirectionsPanel } from '../panels/sae/DirectionsPanel.tsx';
import { HistogramPanel } from '../panels/sae/HistogramPanel.tsx';
import { SaeControlsPanel } from '../panels/sae/SaeControlsPanel.tsx';
import { SaeCurvesPanel } from '../panels/sae/SaeCurvesPanel.tsx';
import { SaeNotice } from '../panels/sae/SaeNotice.tsx';
import { SweepPanel } from '../panels/sae/SweepPanel.tsx';
import { TopRowsPanel } from '../panels/sae/TopRowsPanel.tsx';
import '../panels/sae/sae.css';

export function SaeView() {
  // the controller (and its worker) starts the first time the view is shown, and lives on
  useEffect(() => void getSaeController(), []);
  return (
    <>
      <SaeNotice />
      <SaeControlsPanel />
      <DirectionsPanel />
      <CosinePanel />
      <SaeCurvesPanel />
      <HistogramPanel />
      <TopRowsPanel />
      <SweepPanel />
    </>
  );
}

// One SAE setting as a number field. Every change goes through validateSaeConfig (via the SAE
// controller); the running SAE is left alone while the text is rejected.

import { SAE_FIELDS, type SaeConfig } from '../../../engine/sae/config.ts';
import { getSaeController } from '../../../state/saeController.ts';
import { useSae } from '../../../state/saeStore.ts';
import { NumberField, type NumberFieldProps } from '../../controls/NumberField.tsx';
import { shortNumber } from '../../format.ts';

type NumericKey = { [K in keyof SaeConfig]: SaeConfig[K] extends number ? K : never }[keyof SaeConfig];

type SaeFieldProps = Pick<NumberFieldProps, 'label' | 'slider' | 'format' | 'hint'> & { field: NumericKey };

export function SaeField({ field, format = shortNumber, hint, ...shown }: SaeFieldProps) {
  const value = useSae((s) => s.sae[field]);
  const errors = useSae((s) => s.editErrors[field]);
  return (
    <NumberField
      {...shown}
      value={value}
      errors={errors}
      edit={(raw) => getSaeController().edit(field, raw)}
      format={format}
      hint={hint ?? SAE_FIELDS.find((f) => f.key === field)?.help ?? ''}
      attributes={{ 'data-sae-field': field }}
    />
  );
}

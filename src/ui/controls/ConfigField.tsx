// One setting of the lab's config as a number field. Every change goes through the validator (via
// the controller); the running model is left alone while the text is rejected. ?hide=<field> removes it.

import { FIELDS } from '../../engine/toy/config.ts';
import { useLab, type ConfigKey } from '../../state/labStore.ts';
import { useHidden } from '../../state/uiStore.ts';
import { useController } from '../LabContext.tsx';
import { NumberField, type NumberFieldProps } from './NumberField.tsx';

type ConfigFieldProps = Pick<NumberFieldProps, 'label' | 'slider' | 'format' | 'keyStep' | 'hint'> & { field: ConfigKey };

export function ConfigField({ field, keyStep = 1, hint, ...shown }: ConfigFieldProps) {
  const controller = useController();
  const value = useLab((s) => s.config[field]) as number;
  const errors = useLab((s) => s.editErrors[field]);
  if (useHidden(field)) return null;
  return (
    <NumberField
      {...shown}
      value={value}
      errors={errors}
      edit={(raw) => controller.edit(field, raw)}
      keyStep={keyStep}
      hint={hint ?? FIELDS.find((f) => f.key === field)?.help ?? ''}
      attributes={{ 'data-field': field }}
    />
  );
}

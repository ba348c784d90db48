import { z } from 'zod';

/** `data` of `customer.updated` version 1.0: the customer as it is now, for the CRM sync. */
export const CustomerUpdatedDataSchema = z.object({
  customer_id: z.string().min(1).max(64),
  email: z.email().max(254),
  first_name: z.string().min(1).max(100),
  last_name: z.string().min(1).max(100),
  phone: z
    .string()
    .regex(/^\+[1-9]\d{1,14}$/, 'Expected an E.164 number such as +4930123456')
    .optional(),
  company: z.string().min(1).max(200).optional(),
  country: z.string().regex(/^[A-Z]{2}$/, 'Expected an ISO 3166-1 alpha-2 code such as DE'),
  marketing_opt_in: z.boolean(),
  updated_at: z.iso.datetime({ offset: true }),
});

export type CustomerUpdatedData = z.infer<typeof CustomerUpdatedDataSchema>;

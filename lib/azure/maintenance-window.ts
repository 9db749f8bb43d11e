import { describeValue, PlatformError } from '../platform-file/errors';
import { isTimeOfDay } from '../platform-file/aks';
import { assertIntInRange } from './private/checks';

/** A day of the week, as AKS writes it. */
export enum DayOfWeek {
  MONDAY = 'Monday',
  TUESDAY = 'Tuesday',
  WEDNESDAY = 'Wednesday',
  THURSDAY = 'Thursday',
  FRIDAY = 'Friday',
  SATURDAY = 'Saturday',
  SUNDAY = 'Sunday',
}

/** Which occurrence of a weekday in the month. */
export enum WeekIndex {
  FIRST = 'First',
  SECOND = 'Second',
  THIRD = 'Third',
  FOURTH = 'Fourth',
  LAST = 'Last',
}

/** A period without maintenance (a change freeze), RFC 3339 date-times. */
export interface MaintenanceFreeze {
  /** Start, e.g. `2026-12-20T00:00:00Z`. */
  readonly start: string;
  /** End, after the start. */
  readonly end: string;
}

/** When, within the day, a window opens and for how long. */
export interface MaintenanceWindowOptions {
  /**
   * Start time `HH:mm`, in the cluster's maintenance UTC offset.
   * @default '01:00'
   */
  readonly startTime?: string;
  /**
   * Length in hours (AKS needs at least four to finish an upgrade).
   * @default 4
   */
  readonly durationHours?: number;
  /**
   * Periods without maintenance.
   * @default - none
   */
  readonly notAllowed?: MaintenanceFreeze[];
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * A recurring planned-maintenance window (`maintenance_window_auto_upgrade`,
 * `maintenance_window_node_os`): AKS starts the upgrades of a channel only inside it.
 */
export class MaintenanceWindow {
  /** Every `everyDays` days (1 to 7). */
  public static daily(everyDays = 1, options: MaintenanceWindowOptions = {}): MaintenanceWindow {
    assertIntInRange('MaintenanceWindow.daily everyDays', everyDays, 1, 7);
    return new MaintenanceWindow('Daily', everyDays, options, {});
  }

  /** On `day`, every `everyWeeks` weeks (1 to 4). */
  public static weekly(
    day: DayOfWeek,
    everyWeeks = 1,
    options: MaintenanceWindowOptions = {},
  ): MaintenanceWindow {
    assertIntInRange('MaintenanceWindow.weekly everyWeeks', everyWeeks, 1, 4);
    return new MaintenanceWindow('Weekly', everyWeeks, options, { dayOfWeek: checkDay(day) });
  }

  /** On day `dayOfMonth` (1 to 31) of the month, every `everyMonths` months (1 to 6). */
  public static monthlyOnDay(
    dayOfMonth: number,
    everyMonths = 1,
    options: MaintenanceWindowOptions = {},
  ): MaintenanceWindow {
    assertIntInRange('MaintenanceWindow.monthlyOnDay dayOfMonth', dayOfMonth, 1, 31);
    assertIntInRange('MaintenanceWindow.monthlyOnDay everyMonths', everyMonths, 1, 6);
    return new MaintenanceWindow('AbsoluteMonthly', everyMonths, options, { dayOfMonth });
  }

  /** On the `week` `day` of the month (the last Sunday...), every `everyMonths` months (1 to 6). */
  public static monthlyOnWeekday(
    week: WeekIndex,
    day: DayOfWeek,
    everyMonths = 1,
    options: MaintenanceWindowOptions = {},
  ): MaintenanceWindow {
    assertIntInRange('MaintenanceWindow.monthlyOnWeekday everyMonths', everyMonths, 1, 6);
    if (!Object.values(WeekIndex).includes(week)) {
      throw new PlatformError(
        `MaintenanceWindow.monthlyOnWeekday week must be First, Second, Third, Fourth or Last, got ${describeValue(week)}`,
      );
    }
    return new MaintenanceWindow('RelativeMonthly', everyMonths, options, {
      dayOfWeek: checkDay(day),
      weekIndex: week,
    });
  }

  public readonly startTime: string;
  public readonly durationHours: number;
  public readonly notAllowed: MaintenanceFreeze[];
  /** Weekday of a weekly or relative monthly window. */
  public readonly dayOfWeek?: DayOfWeek;
  /** Day of the month of an absolute monthly window. */
  public readonly dayOfMonth?: number;
  /** Occurrence of the weekday in a relative monthly window. */
  public readonly weekIndex?: WeekIndex;

  private constructor(
    /** Daily, Weekly, AbsoluteMonthly or RelativeMonthly. */
    public readonly frequency: string,
    /** Days, weeks or months between two windows. */
    public readonly interval: number,
    options: MaintenanceWindowOptions,
    schedule: { dayOfWeek?: DayOfWeek; dayOfMonth?: number; weekIndex?: WeekIndex },
  ) {
    this.dayOfWeek = schedule.dayOfWeek;
    this.dayOfMonth = schedule.dayOfMonth;
    this.weekIndex = schedule.weekIndex;
    this.startTime = options.startTime ?? '01:00';
    this.durationHours = options.durationHours ?? 4;
    this.notAllowed = [...(options.notAllowed ?? [])];
    if (!isTimeOfDay(this.startTime)) {
      throw new PlatformError(
        `MaintenanceWindow startTime must be a time of day HH:mm, got ${describeValue(this.startTime)}`,
      );
    }
    assertIntInRange('MaintenanceWindow durationHours', this.durationHours, 4, 24);
    this.notAllowed.forEach((n, i) => {
      for (const [k, v] of [
        ['start', n.start],
        ['end', n.end],
      ]) {
        if (!RFC3339.test(v) || Number.isNaN(Date.parse(v))) {
          throw new PlatformError(
            `MaintenanceWindow notAllowed[${i}].${k} must be an RFC 3339 date and time (e.g. 2026-12-20T00:00:00Z), got ${describeValue(v)}`,
          );
        }
      }
      if (Date.parse(n.start) >= Date.parse(n.end)) {
        throw new PlatformError(
          `MaintenanceWindow notAllowed[${i}]: end ${describeValue(n.end)} is not after start ${describeValue(n.start)}`,
        );
      }
    });
  }
}

function checkDay(day: DayOfWeek): DayOfWeek {
  if (!Object.values(DayOfWeek).includes(day)) {
    throw new PlatformError(
      `MaintenanceWindow day must be a day of the week (Monday...), got ${describeValue(day)}`,
    );
  }
  return day;
}

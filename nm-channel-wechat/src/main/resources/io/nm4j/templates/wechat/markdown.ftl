<#-- WeChat Work's built-in markdown: its subset (headings, bold, links, quotes, three colours). -->
<#import "/nm.ftl" as nm>
<#macro alert a>

**${a.name}**<#if a.summary?has_content>: ${a.summary}</#if>
<#list a.labels as l>
> ${l.name}: ${l.value}
</#list>
<#list a.annotations as n>
> ${n.name}: ${n.value}
</#list>
<#if a.startsAt?has_content>
> ${words.startsAt}: ${a.startsAt}
</#if>
<#if a.endsAt?has_content>
> ${words.endsAt}: ${a.endsAt}
</#if>
<#if a.generatorURL?has_content || a.runbookURL?has_content>
> <#if a.generatorURL?has_content>[${words.source}](${a.generatorURL?no_esc})</#if><#if a.runbookURL?has_content> [${words.runbook}](${a.runbookURL?no_esc})</#if>
</#if>
</#macro>
### ${nm.title()}
<#list firing>

<font color="warning">${words.firing}: ${firing?size}</font>
<#items as a>
<@alert a/>
</#items>
</#list>
<#list resolved>

<font color="info">${words.resolved}: ${resolved?size}</font>
<#items as a>
<@alert a/>
</#items>
</#list>
<#if truncatedNote?has_content>

<font color="comment">${truncatedNote}</font>
</#if>
